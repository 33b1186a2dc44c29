;; Matrix transpose, row sums and row/column scale-and-shift with 128-bit SIMD, for the Transpose,
;; Sum and broadcast Add/Sub/Multiply cases a training step runs most (trainer/backend/transpose.ts,
;; sum-leading-axes.ts, broadcast-binary.ts). Built into layout-wasm.ts by
;; `npm run build-kernels`. The caller places the input and the output in this memory, at byte
;; offsets it passes; nothing else is read or written.
(module
  (memory (export "memory") 1)

  ;; Transposes the 4x4 block with rows at src + r*srcRow (r < 4) into rows at dst + r*dstRow.
  (func $block4 (param $src i32) (param $srcRow i32) (param $dst i32) (param $dstRow i32)
    (local $r0 v128) (local $r1 v128) (local $r2 v128) (local $r3 v128) (local $t0 v128) (local $t1 v128)
    (local.set $r0 (v128.load (local.get $src)))
    (local.set $r1 (v128.load (i32.add (local.get $src) (local.get $srcRow))))
    (local.set $r2 (v128.load (i32.add (local.get $src) (i32.shl (local.get $srcRow) (i32.const 1)))))
    (local.set $r3 (v128.load (i32.add (local.get $src) (i32.mul (local.get $srcRow) (i32.const 3)))))
    ;; t0 = r0[0] r1[0] r0[1] r1[1], t1 = r2[0] r3[0] r2[1] r3[1]; then the upper halves.
    (local.set $t0 (i8x16.shuffle 0 1 2 3 16 17 18 19 4 5 6 7 20 21 22 23 (local.get $r0) (local.get $r1)))
    (local.set $t1 (i8x16.shuffle 0 1 2 3 16 17 18 19 4 5 6 7 20 21 22 23 (local.get $r2) (local.get $r3)))
    (v128.store (local.get $dst) (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $t0) (local.get $t1)))
    (local.set $dst (i32.add (local.get $dst) (local.get $dstRow)))
    (v128.store (local.get $dst) (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $t0) (local.get $t1)))
    (local.set $dst (i32.add (local.get $dst) (local.get $dstRow)))
    (local.set $t0 (i8x16.shuffle 8 9 10 11 24 25 26 27 12 13 14 15 28 29 30 31 (local.get $r0) (local.get $r1)))
    (local.set $t1 (i8x16.shuffle 8 9 10 11 24 25 26 27 12 13 14 15 28 29 30 31 (local.get $r2) (local.get $r3)))
    (v128.store (local.get $dst) (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $t0) (local.get $t1)))
    (local.set $dst (i32.add (local.get $dst) (local.get $dstRow)))
    (v128.store (local.get $dst) (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $t0) (local.get $t1))))

  ;; dst (cols x rows) = transpose of src (rows x cols), 4-byte elements. Full 4x4 blocks go through
  ;; $block4, 64 columns at a time so that the 64 output rows being filled stay in cache; the last
  ;; rows % 4 rows and cols % 4 columns are copied one element at a time.
  (func (export "transpose") (param $src i32) (param $rows i32) (param $cols i32) (param $dst i32)
    (local $rows4 i32) (local $cols4 i32) (local $c0 i32) (local $c1 i32) (local $r i32) (local $c i32)
    (local $srcRow i32) (local $dstRow i32)
    (local.set $rows4 (i32.and (local.get $rows) (i32.const -4)))
    (local.set $cols4 (i32.and (local.get $cols) (i32.const -4)))
    (local.set $srcRow (i32.shl (local.get $cols) (i32.const 2)))
    (local.set $dstRow (i32.shl (local.get $rows) (i32.const 2)))
    (block $stripesDone (loop $stripes
      (br_if $stripesDone (i32.ge_u (local.get $c0) (local.get $cols4)))
      (local.set $c1 (select (i32.add (local.get $c0) (i32.const 64)) (local.get $cols4)
        (i32.lt_u (i32.add (local.get $c0) (i32.const 64)) (local.get $cols4))))
      (local.set $r (i32.const 0))
      (block $rowsDone (loop $rowBlocks
        (br_if $rowsDone (i32.ge_u (local.get $r) (local.get $rows4)))
        (local.set $c (local.get $c0))
        (block $colsDone (loop $colBlocks
          (br_if $colsDone (i32.ge_u (local.get $c) (local.get $c1)))
          (call $block4
            (i32.add (local.get $src) (i32.shl (i32.add (i32.mul (local.get $r) (local.get $cols)) (local.get $c)) (i32.const 2)))
            (local.get $srcRow)
            (i32.add (local.get $dst) (i32.shl (i32.add (i32.mul (local.get $c) (local.get $rows)) (local.get $r)) (i32.const 2)))
            (local.get $dstRow))
          (local.set $c (i32.add (local.get $c) (i32.const 4)))
          (br $colBlocks)))
        (local.set $r (i32.add (local.get $r) (i32.const 4)))
        (br $rowBlocks)))
      (local.set $c0 (local.get $c1))
      (br $stripes)))
    ;; The last rows % 4 rows, every column; then the last cols % 4 columns of the other rows.
    (call $copyTransposed (local.get $src) (local.get $rows) (local.get $cols) (local.get $dst) (local.get $rows4) (local.get $rows) (i32.const 0))
    (call $copyTransposed (local.get $src) (local.get $rows) (local.get $cols) (local.get $dst) (i32.const 0) (local.get $rows4) (local.get $cols4)))

  ;; One element at a time, element (r, c) of src (rows x cols) to (c, r) of dst, for r in [r0, r1)
  ;; and c in [c0, cols).
  (func $copyTransposed (param $src i32) (param $rows i32) (param $cols i32) (param $dst i32) (param $r0 i32) (param $r1 i32) (param $c0 i32)
    (local $r i32) (local $c i32)
    (local.set $r (local.get $r0))
    (block $rowsDone (loop $eachRow
      (br_if $rowsDone (i32.ge_u (local.get $r) (local.get $r1)))
      (local.set $c (local.get $c0))
      (block $done (loop $each
        (br_if $done (i32.ge_u (local.get $c) (local.get $cols)))
        (i32.store
          (i32.add (local.get $dst) (i32.shl (i32.add (i32.mul (local.get $c) (local.get $rows)) (local.get $r)) (i32.const 2)))
          (i32.load (i32.add (local.get $src) (i32.shl (i32.add (i32.mul (local.get $r) (local.get $cols)) (local.get $c)) (i32.const 2)))))
        (local.set $c (i32.add (local.get $c) (i32.const 1)))
        (br $each)))
      (local.set $r (i32.add (local.get $r) (i32.const 1)))
      (br $eachRow))))

  ;; dst[j] = sum over r < rows of src[r*inner + j], float32 accumulated in row order. The input
  ;; is read once, in order, adding each row into dst (a row of sums stays in cache); 4 columns per
  ;; vector, the last inner % 4 one at a time.
  (func (export "sumRows") (param $src i32) (param $rows i32) (param $inner i32) (param $dst i32)
    (local $inner4 i32) (local $r i32) (local $j i32) (local $in i32) (local $out i32)
    (local.set $inner4 (i32.and (local.get $inner) (i32.const -4)))
    (memory.fill (local.get $dst) (i32.const 0) (i32.shl (local.get $inner) (i32.const 2)))
    (local.set $in (local.get $src))
    (block $rowsDone (loop $eachRow
      (br_if $rowsDone (i32.ge_u (local.get $r) (local.get $rows)))
      (local.set $out (local.get $dst))
      (local.set $j (i32.const 0))
      (block $vecDone (loop $vec
        (br_if $vecDone (i32.ge_u (local.get $j) (local.get $inner4)))
        (v128.store (local.get $out) (f32x4.add (v128.load (local.get $out)) (v128.load (local.get $in))))
        (local.set $in (i32.add (local.get $in) (i32.const 16)))
        (local.set $out (i32.add (local.get $out) (i32.const 16)))
        (local.set $j (i32.add (local.get $j) (i32.const 4)))
        (br $vec)))
      (block $tailDone (loop $tail
        (br_if $tailDone (i32.ge_u (local.get $j) (local.get $inner)))
        (f32.store (local.get $out) (f32.add (f32.load (local.get $out)) (f32.load (local.get $in))))
        (local.set $in (i32.add (local.get $in) (i32.const 4)))
        (local.set $out (i32.add (local.get $out) (i32.const 4)))
        (local.set $j (i32.add (local.get $j) (i32.const 1)))
        (br $tail)))
      (local.set $r (i32.add (local.get $r) (i32.const 1)))
      (br $eachRow))))
;; dst[r*n + j] = src[r*n + j] * m[k] + c[k], k = r when perRow, else j: every broadcast of a
  ;; vector along rows or columns in Add, Sub and Multiply is this with its own m and c
  ;; (broadcast-binary.ts). 4 columns per vector, the last n % 4 one at a time.
  (func (export "scaleShift") (param $src i32) (param $rows i32) (param $n i32) (param $m i32) (param $c i32) (param $perRow i32) (param $dst i32)
    (local $n4 i32) (local $r i32) (local $j i32) (local $mv v128) (local $cv v128) (local $ms f32) (local $cs f32) (local $k i32)
    (local.set $n4 (i32.and (local.get $n) (i32.const -4)))
    (block $rowsDone (loop $eachRow
      (br_if $rowsDone (i32.ge_u (local.get $r) (local.get $rows)))
      (if (local.get $perRow) (then
        (local.set $k (i32.shl (local.get $r) (i32.const 2)))
        (local.set $mv (v128.load32_splat (i32.add (local.get $m) (local.get $k))))
        (local.set $cv (v128.load32_splat (i32.add (local.get $c) (local.get $k))))))
      (local.set $j (i32.const 0))
      (block $vecDone (loop $vec
        (br_if $vecDone (i32.ge_u (local.get $j) (local.get $n4)))
        (if (i32.eqz (local.get $perRow)) (then
          (local.set $mv (v128.load (i32.add (local.get $m) (i32.shl (local.get $j) (i32.const 2)))))
          (local.set $cv (v128.load (i32.add (local.get $c) (i32.shl (local.get $j) (i32.const 2)))))))
        (v128.store (local.get $dst) (f32x4.add (f32x4.mul (v128.load (local.get $src)) (local.get $mv)) (local.get $cv)))
        (local.set $src (i32.add (local.get $src) (i32.const 16)))
        (local.set $dst (i32.add (local.get $dst) (i32.const 16)))
        (local.set $j (i32.add (local.get $j) (i32.const 4)))
        (br $vec)))
      (block $tailDone (loop $tail
        (br_if $tailDone (i32.ge_u (local.get $j) (local.get $n)))
        (local.set $k (i32.shl (select (local.get $r) (local.get $j) (local.get $perRow)) (i32.const 2)))
        (f32.store (local.get $dst) (f32.add (f32.mul (f32.load (local.get $src)) (f32.load (i32.add (local.get $m) (local.get $k))))
          (f32.load (i32.add (local.get $c) (local.get $k)))))
        (local.set $src (i32.add (local.get $src) (i32.const 4)))
        (local.set $dst (i32.add (local.get $dst) (i32.const 4)))
        (local.set $j (i32.add (local.get $j) (i32.const 1)))
        (br $tail)))
      (local.set $r (i32.add (local.get $r) (i32.const 1)))
      (br $eachRow))))
)
