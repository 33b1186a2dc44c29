;; Exact GELU and its derivative in one pass with 128-bit SIMD: y = x * Phi(x) and
;; dy/dx = Phi(x) + x * phi(x), Phi the standard normal CDF through erf, phi its density. Built into
;; gelu-wasm.ts by `npm run build-kernels`.
;;
;; erf(z) for z >= 0 is Abramowitz & Stegun 7.1.26, 1 - t*(a1 + t*(a2 + t*(a3 + t*(a4 + t*a5)))) *
;; exp(-z^2) with t = 1 / (1 + p*z), absolute error below 1.5e-7; odd in z. exp(-z^2), which is also
;; sqrt(2 pi) * phi(x), is 2^n * e^f with n = nearest(u / ln 2), f = u - n ln 2 in two parts (Cody
;; & Waite) and e^f by its degree-6 Taylor polynomial (relative error ~1e-7 for |f| <= ln 2 / 2);
;; u is clamped at -87 so 2^n stays a normal float.
;;
;; The caller (gelu-kernel.ts) places x, y and the derivative as arrays of `quads` groups of 4 floats
;; at the byte offsets it passes.
(module
  (memory (export "memory") 1)

  (func $expNegative (param $u v128) (result v128)
    (local $n v128) (local $f v128) (local $p v128)
    (local.set $u (f32x4.max (local.get $u) (v128.const f32x4 -87 -87 -87 -87)))
    (local.set $n (f32x4.nearest (f32x4.mul (local.get $u) (v128.const f32x4 1.44269504 1.44269504 1.44269504 1.44269504))))
    (local.set $f (f32x4.sub (local.get $u) (f32x4.mul (local.get $n) (v128.const f32x4 0.693359375 0.693359375 0.693359375 0.693359375))))
    (local.set $f (f32x4.add (local.get $f) (f32x4.mul (local.get $n) (v128.const f32x4 2.12194440e-4 2.12194440e-4 2.12194440e-4 2.12194440e-4))))
    ;; 1 + f(1 + f/2(1 + f/3(1 + f/4(1 + f/5(1 + f/6)))))
    (local.set $p (f32x4.add (v128.const f32x4 1 1 1 1) (f32x4.mul (local.get $f) (v128.const f32x4 0.16666667 0.16666667 0.16666667 0.16666667))))
    (local.set $p (f32x4.add (v128.const f32x4 1 1 1 1) (f32x4.mul (f32x4.mul (local.get $f) (v128.const f32x4 0.2 0.2 0.2 0.2)) (local.get $p))))
    (local.set $p (f32x4.add (v128.const f32x4 1 1 1 1) (f32x4.mul (f32x4.mul (local.get $f) (v128.const f32x4 0.25 0.25 0.25 0.25)) (local.get $p))))
    (local.set $p (f32x4.add (v128.const f32x4 1 1 1 1) (f32x4.mul (f32x4.mul (local.get $f) (v128.const f32x4 0.33333334 0.33333334 0.33333334 0.33333334)) (local.get $p))))
    (local.set $p (f32x4.add (v128.const f32x4 1 1 1 1) (f32x4.mul (f32x4.mul (local.get $f) (v128.const f32x4 0.5 0.5 0.5 0.5)) (local.get $p))))
    (local.set $p (f32x4.add (v128.const f32x4 1 1 1 1) (f32x4.mul (local.get $f) (local.get $p))))
    ;; times 2^n: n + 127 in the exponent bits.
    (f32x4.mul (local.get $p)
      (i32x4.shl (i32x4.add (i32x4.trunc_sat_f32x4_s (local.get $n)) (v128.const i32x4 127 127 127 127)) (i32.const 23))))

  (func (export "gelu") (param $x i32) (param $y i32) (param $d i32) (param $quads i32)
    (local $end i32) (local $v v128) (local $z v128) (local $t v128) (local $e v128) (local $poly v128) (local $erf v128) (local $cdf v128)
    (local.set $end (i32.add (local.get $x) (i32.shl (local.get $quads) (i32.const 4))))
    (block $done (loop $quad
      (br_if $done (i32.ge_u (local.get $x) (local.get $end)))
      (local.set $v (v128.load (local.get $x)))
      (local.set $z (f32x4.abs (f32x4.mul (local.get $v) (v128.const f32x4 0.70710678 0.70710678 0.70710678 0.70710678))))
      (local.set $t (f32x4.div (v128.const f32x4 1 1 1 1)
        (f32x4.add (v128.const f32x4 1 1 1 1) (f32x4.mul (local.get $z) (v128.const f32x4 0.3275911 0.3275911 0.3275911 0.3275911)))))
      (local.set $poly (f32x4.add (v128.const f32x4 -1.453152027 -1.453152027 -1.453152027 -1.453152027) (f32x4.mul (local.get $t) (v128.const f32x4 1.061405429 1.061405429 1.061405429 1.061405429))))
      (local.set $poly (f32x4.add (v128.const f32x4 1.421413741 1.421413741 1.421413741 1.421413741) (f32x4.mul (local.get $t) (local.get $poly))))
      (local.set $poly (f32x4.add (v128.const f32x4 -0.284496736 -0.284496736 -0.284496736 -0.284496736) (f32x4.mul (local.get $t) (local.get $poly))))
      (local.set $poly (f32x4.add (v128.const f32x4 0.254829592 0.254829592 0.254829592 0.254829592) (f32x4.mul (local.get $t) (local.get $poly))))
      (local.set $poly (f32x4.mul (local.get $t) (local.get $poly)))
      (local.set $e (call $expNegative (f32x4.neg (f32x4.mul (local.get $z) (local.get $z)))))
      (local.set $erf (f32x4.sub (v128.const f32x4 1 1 1 1) (f32x4.mul (local.get $poly) (local.get $e))))
      ;; erf is odd: take the sign of x (the sign bit of erf, which is >= 0 here, is clear).
      (local.set $erf (v128.or (local.get $erf) (v128.and (local.get $v) (v128.const i32x4 0x80000000 0x80000000 0x80000000 0x80000000))))
      (local.set $cdf (f32x4.mul (v128.const f32x4 0.5 0.5 0.5 0.5) (f32x4.add (v128.const f32x4 1 1 1 1) (local.get $erf))))
      (v128.store (local.get $y) (f32x4.mul (local.get $v) (local.get $cdf)))
      ;; phi(x) = exp(-x^2 / 2) / sqrt(2 pi) = e / sqrt(2 pi)
      (v128.store (local.get $d) (f32x4.add (local.get $cdf)
        (f32x4.mul (local.get $v) (f32x4.mul (local.get $e) (v128.const f32x4 0.39894228 0.39894228 0.39894228 0.39894228)))))
      (local.set $x (i32.add (local.get $x) (i32.const 16)))
      (local.set $y (i32.add (local.get $y) (i32.const 16)))
      (local.set $d (i32.add (local.get $d) (i32.const 16)))
      (br $quad))))
)
