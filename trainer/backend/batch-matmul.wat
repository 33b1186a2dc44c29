;; Batched f32 matmul with 128-bit SIMD, run on tfjs-backend-wasm's own heap: the module imports that
;; memory, so operands are read and the product written in place, and with a shared (threaded) heap
;; several threads run one product, each on its part. Built into batch-matmul-wasm.ts by
;; `npm run build-kernels`, once as written and once with the import unshared (1-thread backend).
;;
;; The caller (batch-matmul.ts) passes every address: the operands, the output, and per thread two
;; packing buffers and 128 bytes of scratch for edge tiles. Packing may read up to 12*K + 16 bytes
;; past an operand (see $pack), which the caller checks lies inside the memory.
;;
;; Both operands are packed, whatever their transpose flags, so that one micro-kernel reads both from
;; one pointer each with constant offsets: A into panels of 4 rows, B into panels of 8 columns, each
;; panel K steps of 4 (or 8) contiguous floats. A 4x8 tile then takes, per k, four broadcast loads of
;; A, two vector loads of B and eight multiply-adds into eight accumulators.
(module
  (import "env" "memory" (memory 1 65536 shared))

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
  ;; panel pb over k, added to what the tile holds when `accumulate` is set (a later block of K);
  ;; an edge tile passes through the 128 bytes at `scratch`. Not unrolled: TurboFan hoists an
  ;; unrolled body's loads above its arithmetic, and the values they hold spill the eight
  ;; accumulators out of the 16 xmm registers.
  (func $tile (param $pa i32) (param $pb i32) (param $k i32) (param $c i32) (param $stride i32) (param $rows i32) (param $cols i32)
              (param $scratch i32) (param $accumulate i32)
    (local $x v128) (local $b0 v128) (local $b1 v128)
    (local $s00 v128) (local $s01 v128) (local $s10 v128) (local $s11 v128)
    (local $s20 v128) (local $s21 v128) (local $s30 v128) (local $s31 v128)
    (local $end i32) (local $r i32) (local $j i32) (local $full i32) (local $at i32)
    (local.set $full (i32.and (i32.eq (local.get $rows) (i32.const 4)) (i32.eq (local.get $cols) (i32.const 8))))
    (if (i32.and (local.get $full) (local.get $accumulate))
      (then
        (local.set $at (local.get $c))
        (local.set $s00 (v128.load (local.get $at)))
        (local.set $s01 (v128.load offset=16 (local.get $at)))
        (local.set $at (i32.add (local.get $at) (local.get $stride)))
        (local.set $s10 (v128.load (local.get $at)))
        (local.set $s11 (v128.load offset=16 (local.get $at)))
        (local.set $at (i32.add (local.get $at) (local.get $stride)))
        (local.set $s20 (v128.load (local.get $at)))
        (local.set $s21 (v128.load offset=16 (local.get $at)))
        (local.set $at (i32.add (local.get $at) (local.get $stride)))
        (local.set $s30 (v128.load (local.get $at)))
        (local.set $s31 (v128.load offset=16 (local.get $at)))))
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
    (if (local.get $full)
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
    (v128.store offset=0 (local.get $scratch) (local.get $s00))
    (v128.store offset=16 (local.get $scratch) (local.get $s01))
    (v128.store offset=32 (local.get $scratch) (local.get $s10))
    (v128.store offset=48 (local.get $scratch) (local.get $s11))
    (v128.store offset=64 (local.get $scratch) (local.get $s20))
    (v128.store offset=80 (local.get $scratch) (local.get $s21))
    (v128.store offset=96 (local.get $scratch) (local.get $s30))
    (v128.store offset=112 (local.get $scratch) (local.get $s31))
    (loop $tileRows
      (local.set $j (i32.const 0))
      (loop $tileColumns
        (local.set $at (i32.add (local.get $c) (i32.shl (local.get $j) (i32.const 2))))
        (f32.store (local.get $at)
          (f32.add
            (f32.load (i32.add (local.get $scratch) (i32.shl (i32.add (i32.shl (local.get $r) (i32.const 3)) (local.get $j)) (i32.const 2))))
            (select (f32.load (local.get $at)) (f32.const 0) (local.get $accumulate))))
        (local.set $j (i32.add (local.get $j) (i32.const 1)))
        (br_if $tileColumns (i32.lt_u (local.get $j) (local.get $cols))))
      (local.set $c (i32.add (local.get $c) (local.get $stride)))
      (local.set $r (i32.add (local.get $r) (i32.const 1)))
      (br_if $tileRows (i32.lt_u (local.get $r) (local.get $rows)))))

  ;; out[bi] = op(A[bi]) x op(B[bi]) for bi < batch; op(A) is M x K and op(B) K x N. Element (i, kk)
  ;; of op(A) lies at a + i*aRow + kk*aK, element (kk, j) of op(B) at b + j*bColumn + kk*bK, element
  ;; (i, j) of the output at out + i*outRow + j*4; aStride, bStride and outStride are the bytes between
  ;; batch items (0 broadcasts an operand). With these a thread's part of a product (a range of
  ;; batch items, rows or columns) is a product of its own.
  ;;
  ;; Blocked for the caches: K in blocks of kBlock (a multiple of 4), so that a packed B panel
  ;; (kBlock x 8) stays in L1, and op(A)'s rows in blocks of mBlock (a multiple of 4), so that the
  ;; packed A block stays in L2 while every B panel passes it. packA holds one A block, packB one
  ;; K block of all of op(B); a broadcast operand is packed once when one block holds it.
  (func (export "bmm") (param $batch i32) (param $a i32) (param $aStride i32) (param $aRow i32) (param $aK i32)
                       (param $b i32) (param $bStride i32) (param $bColumn i32) (param $bK i32)
                       (param $out i32) (param $outRow i32) (param $outStride i32)
                       (param $packA i32) (param $packB i32) (param $scratch i32) (param $m i32) (param $n i32) (param $k i32)
                       (param $kBlock i32) (param $mBlock i32)
    (local $bi i32) (local $i i32) (local $j i32) (local $pb i32) (local $kb i32) (local $kl i32) (local $klPad i32)
    (local $mb i32) (local $ml i32) (local $oneKBlock i32)
    (local.set $oneKBlock (i32.le_u (local.get $k) (local.get $kBlock)))
    (block $batchesDone (loop $batches
      (br_if $batchesDone (i32.ge_u (local.get $bi) (local.get $batch)))
      ;; A K of 0 still passes once, to write the zeros of the product.
      (local.set $kb (i32.const 0))
      (loop $kBlocks
        (local.set $kl (select (local.get $kBlock) (i32.sub (local.get $k) (local.get $kb)) (i32.gt_u (i32.sub (local.get $k) (local.get $kb)) (local.get $kBlock))))
        (local.set $klPad (i32.and (i32.add (local.get $kl) (i32.const 3)) (i32.const -4)))
        (if (i32.or (i32.or (i32.eqz (local.get $bi)) (local.get $bStride)) (i32.eqz (local.get $oneKBlock)))
          (then (call $pack (i32.add (local.get $b) (i32.mul (local.get $kb) (local.get $bK))) (local.get $packB) (local.get $n) (local.get $kl) (i32.const 8) (local.get $bColumn) (local.get $bK))))
        (local.set $mb (i32.const 0))
        (block $mBlocksDone (loop $mBlocks
          (br_if $mBlocksDone (i32.ge_u (local.get $mb) (local.get $m)))
          (local.set $ml (select (local.get $mBlock) (i32.sub (local.get $m) (local.get $mb)) (i32.gt_u (i32.sub (local.get $m) (local.get $mb)) (local.get $mBlock))))
          (if (i32.or (i32.or (i32.eqz (local.get $bi)) (local.get $aStride))
                      (i32.eqz (i32.and (local.get $oneKBlock) (i32.le_u (local.get $m) (local.get $mBlock)))))
            (then (call $pack
              (i32.add (local.get $a) (i32.add (i32.mul (local.get $mb) (local.get $aRow)) (i32.mul (local.get $kb) (local.get $aK))))
              (local.get $packA) (local.get $ml) (local.get $kl) (i32.const 4) (local.get $aRow) (local.get $aK))))
          ;; Panel-major: one packed B panel stays in L1 while every A panel of the block passes it.
          (local.set $j (i32.const 0))
          (local.set $pb (local.get $packB))
          (block $panelsDone (loop $panels
            (br_if $panelsDone (i32.ge_u (local.get $j) (local.get $n)))
            (local.set $i (i32.const 0))
            (block $rowsDone (loop $rowTiles
              (br_if $rowsDone (i32.ge_u (local.get $i) (local.get $ml)))
              (call $tile
                (i32.add (local.get $packA) (i32.mul (local.get $i) (i32.shl (local.get $klPad) (i32.const 2))))
                (local.get $pb) (local.get $kl)
                (i32.add (local.get $out) (i32.add (i32.mul (i32.add (local.get $mb) (local.get $i)) (local.get $outRow)) (i32.shl (local.get $j) (i32.const 2))))
                (local.get $outRow)
                (select (i32.const 4) (i32.sub (local.get $ml) (local.get $i)) (i32.ge_u (i32.sub (local.get $ml) (local.get $i)) (i32.const 4)))
                (select (i32.const 8) (i32.sub (local.get $n) (local.get $j)) (i32.ge_u (i32.sub (local.get $n) (local.get $j)) (i32.const 8)))
                (local.get $scratch)
                (i32.ne (local.get $kb) (i32.const 0)))
              (local.set $i (i32.add (local.get $i) (i32.const 4)))
              (br $rowTiles)))
            (local.set $pb (i32.add (local.get $pb) (i32.shl (local.get $klPad) (i32.const 5))))
            (local.set $j (i32.add (local.get $j) (i32.const 8)))
            (br $panels)))
          (local.set $mb (i32.add (local.get $mb) (local.get $mBlock)))
          (br $mBlocks)))
        (local.set $kb (i32.add (local.get $kb) (local.get $kBlock)))
        (br_if $kBlocks (i32.lt_u (local.get $kb) (local.get $k))))
      (local.set $a (i32.add (local.get $a) (local.get $aStride)))
      (local.set $b (i32.add (local.get $b) (local.get $bStride)))
      (local.set $out (i32.add (local.get $out) (local.get $outStride)))
      (local.set $bi (i32.add (local.get $bi) (i32.const 1)))
      (br $batches))))
)
