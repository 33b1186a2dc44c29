;; One AdamW update of a parameter with 128-bit SIMD, in float32 throughout, as PyTorch's
;; torch.optim.AdamW computes it: p *= keep (decoupled decay, keep = 1 - lr*wd), then
;; m = m + (1-beta1)*(g - m), v = beta2*v + (1-beta2)*g*g, p -= stepSize * m / (sqrt(v)*invSqrtC2 + eps).
;; Built into adamw-wasm.ts by `npm run build-kernels`.
;;
;; The caller (adamw-kernel.ts) owns the layout: p, g, m and v are 16-byte aligned arrays of `quads`
;; groups of 4 floats (the parameter's size rounded up; the padding is updated like the rest and
;; never read). p and m, v are updated in place.
(module
  (memory (export "memory") 1)

  (func (export "adamw") (param $p i32) (param $g i32) (param $m i32) (param $v i32) (param $quads i32)
    (param $keep f32) (param $oneMinusBeta1 f32) (param $beta2 f32) (param $oneMinusBeta2 f32)
    (param $stepSize f32) (param $invSqrtC2 f32) (param $eps f32)
    (local $end i32) (local $gi v128) (local $mi v128) (local $vi v128)
    (local $kKeep v128) (local $kB1 v128) (local $kB2 v128) (local $kOneB2 v128)
    (local $kStep v128) (local $kInv v128) (local $kEps v128)
    (local.set $kKeep (f32x4.splat (local.get $keep)))
    (local.set $kB1 (f32x4.splat (local.get $oneMinusBeta1)))
    (local.set $kB2 (f32x4.splat (local.get $beta2)))
    (local.set $kOneB2 (f32x4.splat (local.get $oneMinusBeta2)))
    (local.set $kStep (f32x4.splat (local.get $stepSize)))
    (local.set $kInv (f32x4.splat (local.get $invSqrtC2)))
    (local.set $kEps (f32x4.splat (local.get $eps)))
    (local.set $end (i32.add (local.get $p) (i32.shl (local.get $quads) (i32.const 4))))
    (block $done (loop $quad
      (br_if $done (i32.ge_u (local.get $p) (local.get $end)))
      (local.set $gi (v128.load (local.get $g)))
      (local.set $mi (v128.load (local.get $m)))
      (local.set $mi (f32x4.add (local.get $mi) (f32x4.mul (local.get $kB1) (f32x4.sub (local.get $gi) (local.get $mi)))))
      (local.set $vi (f32x4.add
        (f32x4.mul (local.get $kB2) (v128.load (local.get $v)))
        (f32x4.mul (local.get $kOneB2) (f32x4.mul (local.get $gi) (local.get $gi)))))
      (v128.store (local.get $m) (local.get $mi))
      (v128.store (local.get $v) (local.get $vi))
      (v128.store (local.get $p) (f32x4.sub
        (f32x4.mul (v128.load (local.get $p)) (local.get $kKeep))
        (f32x4.div
          (f32x4.mul (local.get $kStep) (local.get $mi))
          (f32x4.add (f32x4.mul (f32x4.sqrt (local.get $vi)) (local.get $kInv)) (local.get $kEps)))))
      (local.set $p (i32.add (local.get $p) (i32.const 16)))
      (local.set $g (i32.add (local.get $g) (i32.const 16)))
      (local.set $m (i32.add (local.get $m) (i32.const 16)))
      (local.set $v (i32.add (local.get $v) (i32.const 16)))
      (br $quad))))
)
