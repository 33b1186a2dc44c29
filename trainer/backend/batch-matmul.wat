;; Batched f32 matmul with 128-bit SIMD, for the BatchMatMul cases tfjs-backend-wasm runs on its scalar
;; loop (batch > 1 or a transposed operand). Built into batch-matmul-wasm.ts by `npm run build-kernels`.
;;
;; The caller (batch-matmul.ts) owns the layout: bytes [0, 128) are scratch for edge tiles; A, B, the
;; output and the two packing buffers lie above, at byte offsets passed to $bmm, followed by at least
;; 12*K + 16 bytes of slack that packing may read (see $pack).
;;
;; Both operands are packed, whatever their transpose flags, so that one micro-kernel reads both from
;; one pointer each with constant offsets: A into panels of 4 rows, B into panels of 8 columns, each
;; panel K steps of 4 (or 8) contiguous floats. A 4x8 tile then takes, per k, four broadcast loads of
;; A, two vector loads of B and eight multiply-adds into eight accumulators.
(module
  (memory (export "memory") 1)

  ;; Transposes the 4x4 block whose rows are 4 consecutive k of outer indices c..c+3 (row r at
  ;; src + r*sO) into 4 vectors stored `step` bytes apart at dst, one per k.
  (func $transpose4 (param $src i32) (param $sO i32) (param $dst i32) (param $step i32)
    (local $r0 v128) (local $r1 v128) (local $r2 v128) (local $r3 v128) (local $t0 v128) (local $t1 v128)
    (local.set $r0 (v128.load (local.get $src)))
    (local.set $r1 (v128.load (i32.add (local.get $src) (local.get $sO))))
    (local.set $r2 (v128.load (i32.add (local.get $src) (i32.shl (local.get $sO) (i32.const 1)))))
    (local.set $r3 (v128.load (i32.add (local.get $src) (i32.mul (local.get $sO) (i32.const 3)))))
    ;; t0 = r0[0] r1[0] r0[1] r1[1], t1 = r2[0] r3[0] r2[1] r3[1]; likewise the upper halves below.
    (local.set $t0 (i8x16.shuffle 0 1 2 3 16 17 18 19 4 5 6 7 20 21 22 23 (local.get $r0) (local.get $r1)))
    (local.set $t1 (i8x16.shuffle 0 1 2 3 16 17 18 19 4 5 6 7 20 21 22 23 (local.get $r2) (local.get $r3)))
    (v128.store (local.get $dst) (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $t0) (local.get $t1)))
    (local.set $dst (i32.add (local.get $dst) (local.get $step)))
    (v128.store (local.get $dst) (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $t0) (local.get $t1)))
    (local.set $dst (i32.add (local.get $dst) (local.get $step)))
    (local.set $t0 (i8x16.shuffle 8 9 10 11 24 25 26 27 12 13 14 15 28 29 30 31 (local.get $r0) (local.get $r1)))
    (local.set $t1 (i8x16.shuffle 8 9 10 11 24 25 26 27 12 13 14 15 28 29 30 31 (local.get $r2) (local.get $r3)))
    (v128.store (local.get $dst) (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $t0) (local.get $t1)))
    (local.set $dst (i32.add (local.get $dst) (local.get $step)))
    (v128.store (local.get $dst) (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $t0) (local.get $t1))))

  ;; Packs a matrix of `outer` x K elements, element (o, kk) at src + o*sO + kk*sK, into panels of
  ;; `width` (4 or 8) outer indices by kPad (K rounded up to 4) steps: element (o, kk) goes to
  ;; dst + (o / width)*kPad*width*4 + kk*width*4 + (o mod width)*4. Either sO or sK is 4 bytes, so it
  ;; goes in groups of 4 outer indices: vector copies along k when sO is 4, else 4x4 transposes.
  ;; The last group may run up to 3 past `outer` and transposes up to 3 past K; what they read there
  ;; is the next batch item, other data or the caller's slack, and lands only in tile rows, columns
  ;; and k steps that are never stored or read. A panel's part wholly past `outer` is left as it was.
  (func $pack (param $src i32) (param $dst i32) (param $outer i32) (param $k i32) (param $width i32) (param $sO i32) (param $sK i32)
    (local $o i32) (local $kk i32) (local $step i32) (local $panel i32) (local $s i32) (local $d i32)
    (local.set $step (i32.shl (local.get $width) (i32.const 2)))
    (local.set $panel (i32.mul (i32.and (i32.add (local.get $k) (i32.const 3)) (i32.const -4)) (local.get $step)))
    (block $groupsDone (loop $groups
      (br_if $groupsDone (i32.ge_u (local.get $o) (local.get $outer)))
      (local.set $d (i32.add (local.get $dst)
        (i32.add (i32.mul (i32.div_u (local.get $o) (local.get $width)) (local.get $panel))
                 (i32.shl (i32.rem_u (local.get $o) (local.get $width)) (i32.const 2)))))
      (local.set $s (i32.add (local.get $src) (i32.mul (local.get $o) (local.get $sO))))
      (local.set $kk (i32.const 0))
      (if (i32.eq (local.get $sO) (i32.const 4))
        (then
          (block $done (loop $copy
            (br_if $done (i32.ge_u (local.get $kk) (local.get $k)))
            (v128.store (local.get $d) (v128.load (local.get $s)))
            (local.set $s (i32.add (local.get $s) (local.get $sK)))
            (local.set $d (i32.add (local.get $d) (local.get $step)))
            (local.set $kk (i32.add (local.get $kk) (i32.const 1)))
            (br $copy))))
        (else
          (block $done (loop $blocks
            (br_if $done (i32.ge_u (local.get $kk) (local.get $k)))
            (call $transpose4 (local.get $s) (local.get $sO) (local.get $d) (local.get $step))
            (local.set $s (i32.add (local.get $s) (i32.const 16)))
            (local.set $d (i32.add (local.get $d) (i32.shl (local.get $step) (i32.const 2))))
            (local.set $kk (i32.add (local.get $kk) (i32.const 4)))
            (br $blocks)))))
      (local.set $o (i32.add (local.get $o) (i32.const 4)))
      (br $groups))))

  ;; One 4x8 tile of the output at c (rows `stride` bytes apart): packed A panel pa times packed B
  ;; panel pb over k. Not unrolled: TurboFan hoists an unrolled body's loads above its arithmetic,
  ;; and the values they hold spill the eight accumulators out of the 16 xmm registers.
  (func $tile (param $pa i32) (param $pb i32) (param $k i32) (param $c i32) (param $stride i32) (param $rows i32) (param $cols i32)
    (local $x v128) (local $b0 v128) (local $b1 v128)
    (local $s00 v128) (local $s01 v128) (local $s10 v128) (local $s11 v128)
    (local $s20 v128) (local $s21 v128) (local $s30 v128) (local $s31 v128)
    (local $end i32) (local $r i32) (local $j i32)
    (local.set $end (i32.add (local.get $pa) (i32.shl (local.get $k) (i32.const 4))))
    (block $done (loop $ks
      (br_if $done (i32.eq (local.get $pa) (local.get $end)))
      (local.set $b0 (v128.load offset=0 (local.get $pb)))
      (local.set $b1 (v128.load offset=16 (local.get $pb)))
      (local.set $x (v128.load32_splat offset=0 (local.get $pa)))
      (local.set $s00 (f32x4.add (local.get $s00) (f32x4.mul (local.get $x) (local.get $b0))))
      (local.set $s01 (f32x4.add (local.get $s01) (f32x4.mul (local.get $x) (local.get $b1))))
      (local.set $x (v128.load32_splat offset=4 (local.get $pa)))
      (local.set $s10 (f32x4.add (local.get $s10) (f32x4.mul (local.get $x) (local.get $b0))))
      (local.set $s11 (f32x4.add (local.get $s11) (f32x4.mul (local.get $x) (local.get $b1))))
      (local.set $x (v128.load32_splat offset=8 (local.get $pa)))
      (local.set $s20 (f32x4.add (local.get $s20) (f32x4.mul (local.get $x) (local.get $b0))))
      (local.set $s21 (f32x4.add (local.get $s21) (f32x4.mul (local.get $x) (local.get $b1))))
      (local.set $x (v128.load32_splat offset=12 (local.get $pa)))
      (local.set $s30 (f32x4.add (local.get $s30) (f32x4.mul (local.get $x) (local.get $b0))))
      (local.set $s31 (f32x4.add (local.get $s31) (f32x4.mul (local.get $x) (local.get $b1))))
      (local.set $pa (i32.add (local.get $pa) (i32.const 16)))
      (local.set $pb (i32.add (local.get $pb) (i32.const 32)))
      (br $ks)))
    (if (i32.and (i32.eq (local.get $rows) (i32.const 4)) (i32.eq (local.get $cols) (i32.const 8)))
      (then
        (v128.store (local.get $c) (local.get $s00))
        (v128.store offset=16 (local.get $c) (local.get $s01))
        (local.set $c (i32.add (local.get $c) (local.get $stride)))
        (v128.store (local.get $c) (local.get $s10))
        (v128.store offset=16 (local.get $c) (local.get $s11))
        (local.set $c (i32.add (local.get $c) (local.get $stride)))
        (v128.store (local.get $c) (local.get $s20))
        (v128.store offset=16 (local.get $c) (local.get $s21))
        (local.set $c (i32.add (local.get $c) (local.get $stride)))
        (v128.store (local.get $c) (local.get $s30))
        (v128.store offset=16 (local.get $c) (local.get $s31))
        (return)))
    ;; An edge tile goes through the scratch area, then element by element into its valid part.
    (v128.store offset=0 (i32.const 0) (local.get $s00))
    (v128.store offset=16 (i32.const 0) (local.get $s01))
    (v128.store offset=32 (i32.const 0) (local.get $s10))
    (v128.store offset=48 (i32.const 0) (local.get $s11))
    (v128.store offset=64 (i32.const 0) (local.get $s20))
    (v128.store offset=80 (i32.const 0) (local.get $s21))
    (v128.store offset=96 (i32.const 0) (local.get $s30))
    (v128.store offset=112 (i32.const 0) (local.get $s31))
    (loop $tileRows
      (local.set $j (i32.const 0))
      (loop $tileColumns
        (f32.store
          (i32.add (local.get $c) (i32.shl (local.get $j) (i32.const 2)))
          (f32.load (i32.shl (i32.add (i32.shl (local.get $r) (i32.const 3)) (local.get $j)) (i32.const 2))))
        (local.set $j (i32.add (local.get $j) (i32.const 1)))
        (br_if $tileColumns (i32.lt_u (local.get $j) (local.get $cols))))
      (local.set $c (i32.add (local.get $c) (local.get $stride)))
      (local.set $r (i32.add (local.get $r) (i32.const 1)))
      (br_if $tileRows (i32.lt_u (local.get $r) (local.get $rows)))))

  ;; out[bi] = op(A[bi]) x op(B[bi]) for bi < batch, op transposing when its flag is set; op(A) is
  ;; M x K and op(B) K x N. aStride/bStride are the bytes between batch items, 0 to broadcast one.
  (func (export "bmm") (param $batch i32) (param $a i32) (param $aStride i32) (param $b i32) (param $bStride i32)
                       (param $out i32) (param $packA i32) (param $packB i32) (param $m i32) (param $n i32) (param $k i32)
                       (param $transA i32) (param $transB i32)
    (local $bi i32) (local $i i32) (local $j i32) (local $stride i32) (local $pb i32) (local $kPad i32)
    (local $aRow i32) (local $aK i32) (local $bColumn i32) (local $bK i32)
    ;; Element (i, kk) of op(A) at a + i*aRow + kk*aK; element (kk, j) of op(B) at b + j*bColumn + kk*bK.
    (if (local.get $transA)
      (then (local.set $aRow (i32.const 4)) (local.set $aK (i32.shl (local.get $m) (i32.const 2))))
      (else (local.set $aRow (i32.shl (local.get $k) (i32.const 2))) (local.set $aK (i32.const 4))))
    (if (local.get $transB)
      (then (local.set $bColumn (i32.shl (local.get $k) (i32.const 2))) (local.set $bK (i32.const 4)))
      (else (local.set $bColumn (i32.const 4)) (local.set $bK (i32.shl (local.get $n) (i32.const 2)))))
    (local.set $stride (i32.shl (local.get $n) (i32.const 2)))
    (local.set $kPad (i32.and (i32.add (local.get $k) (i32.const 3)) (i32.const -4)))
    (block $batchesDone (loop $batches
      (br_if $batchesDone (i32.ge_u (local.get $bi) (local.get $batch)))
      (if (i32.or (i32.eqz (local.get $bi)) (local.get $aStride))
        (then (call $pack (local.get $a) (local.get $packA) (local.get $m) (local.get $k) (i32.const 4) (local.get $aRow) (local.get $aK))))
      (if (i32.or (i32.eqz (local.get $bi)) (local.get $bStride))
        (then (call $pack (local.get $b) (local.get $packB) (local.get $n) (local.get $k) (i32.const 8) (local.get $bColumn) (local.get $bK))))
      ;; Panel-major: one packed B panel (K x 8 floats) stays in L1 while every A panel passes it.
      (local.set $j (i32.const 0))
      (local.set $pb (local.get $packB))
      (block $panelsDone (loop $panels
        (br_if $panelsDone (i32.ge_u (local.get $j) (local.get $n)))
        (local.set $i (i32.const 0))
        (block $rowsDone (loop $rowTiles
          (br_if $rowsDone (i32.ge_u (local.get $i) (local.get $m)))
          (call $tile
            (i32.add (local.get $packA) (i32.mul (local.get $i) (i32.shl (local.get $kPad) (i32.const 2))))
            (local.get $pb) (local.get $k)
            (i32.add (local.get $out) (i32.add (i32.mul (local.get $i) (local.get $stride)) (i32.shl (local.get $j) (i32.const 2))))
            (local.get $stride)
            (select (i32.const 4) (i32.sub (local.get $m) (local.get $i)) (i32.ge_u (i32.sub (local.get $m) (local.get $i)) (i32.const 4)))
            (select (i32.const 8) (i32.sub (local.get $n) (local.get $j)) (i32.ge_u (i32.sub (local.get $n) (local.get $j)) (i32.const 8))))
          (local.set $i (i32.add (local.get $i) (i32.const 4)))
          (br $rowTiles)))
        (local.set $pb (i32.add (local.get $pb) (i32.shl (local.get $kPad) (i32.const 5))))
        (local.set $j (i32.add (local.get $j) (i32.const 8)))
        (br $panels)))
      (local.set $a (i32.add (local.get $a) (local.get $aStride)))
      (local.set $b (i32.add (local.get $b) (local.get $bStride)))
      (local.set $out (i32.add (local.get $out) (i32.mul (local.get $m) (local.get $stride))))
      (local.set $bi (i32.add (local.get $bi) (i32.const 1)))
      (br $batches))))
)
