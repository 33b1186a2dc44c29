/**
 * BatchMatMul on wasm: tfjs-backend-wasm's own kernel (batched or transposed operands run its scalar
 * `slow_batch_matmul`, 2-D untransposed ones XNNPACK on the backend's threads) against the SIMD
 * kernel of trainer/backend/batch-matmul.ts (on the same threads), on the attention products of the
 * demo model (2 heads of 64 in the LM, 2 of 32 in the Q-Former, batch 64, so B*heads = 128), their
 * backward-pass variants, and three 2-D products of the model-step benchmark, where the comparison
 * is with XNNPACK. Both kernel functions are called directly with the same inputs, so engine
 * overhead is left out. CPU ms is the process's user+system time per call (every thread), the
 * median of the repetitions; BENCH_THREADS sets the wasm threads (default 2).
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { initBackend } from '../trainer/backend.ts';

interface Shape {
  what: string;
  a: number[];
  b: number[];
  transposeA: boolean;
  transposeB: boolean;
}

const SHAPES: Shape[] = [
  { what: 'LM q·kᵀ as the brief measured it', a: [128, 49, 64], b: [128, 64, 49], transposeA: false, transposeB: false },
  { what: 'LM scores q·kᵀ (transposeB)', a: [128, 49, 64], b: [128, 49, 64], transposeA: false, transposeB: true },
  { what: 'LM context p·v; dq = ds·k', a: [128, 49, 49], b: [128, 49, 64], transposeA: false, transposeB: false },
  { what: 'LM dv = pᵀ·do; dk = dsᵀ·q (transposeA)', a: [128, 49, 49], b: [128, 49, 64], transposeA: true, transposeB: false },
  { what: 'Q-Former self-attention scores, T 40', a: [128, 40, 32], b: [128, 40, 32], transposeA: false, transposeB: true },
  { what: 'Q-Former cross-attention scores, 8 queries x 50 image tokens', a: [128, 8, 32], b: [128, 50, 32], transposeA: false, transposeB: true },
  { what: 'Q-Former cross-attention dk (transposeA)', a: [128, 8, 50], b: [128, 8, 32], transposeA: true, transposeB: false },
  { what: 'model-step: image-feature K or V projection', a: [1, 1576, 768], b: [1, 768, 256], transposeA: false, transposeB: false },
  { what: 'model-step: Q-Former FFN up', a: [1, 512, 256], b: [1, 256, 1024], transposeA: false, transposeB: false },
  { what: 'model-step: LM tied head', a: [1, 128, 256], b: [1, 256, 8000], transposeA: false, transposeB: false },
];
const REPS = Number(process.env['BENCH_REPS'] ?? 15);

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

function time(kernel: tf.KernelConfig, args: Parameters<tf.KernelFunc>[0]): { wall: number; cpu: number } {
  const walls: number[] = [];
  const cpus: number[] = [];
  for (let rep = -2; rep < REPS; rep++) {
    const started = performance.now();
    const cpu = process.cpuUsage();
    const out = kernel.kernelFunc(args) as tf.TensorInfo;
    const used = process.cpuUsage(cpu);
    const wall = performance.now() - started;
    (args.backend as tf.KernelBackend).disposeData(out.dataId);
    if (rep < 0) continue;
    walls.push(wall);
    cpus.push((used.user + used.system) / 1000);
  }
  return { wall: median(walls), cpu: median(cpus) };
}

// The original kernel, captured before initBackend puts the SIMD one in its place.
const original = tf.getKernel('BatchMatMul', 'wasm');
if (original === undefined) throw new Error('tfjs-backend-wasm registered no BatchMatMul');
const choice = await initBackend({ backend: 'wasm', threads: Number(process.env['BENCH_THREADS'] ?? 2) });
const simd = tf.getKernel('BatchMatMul', 'wasm')!;
console.log(`backend: ${choice.description}; median of ${REPS} calls\n`);
console.log('| product | A | B | flags | tfjs-wasm CPU ms (wall) | SIMD CPU ms (wall) | speedup (CPU) | speedup (wall) | SIMD GFLOP/s (wall) |');
console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- |');
for (const shape of SHAPES) {
  const a = tf.randomUniform(shape.a, -1, 1, 'float32', 1);
  const b = tf.randomUniform(shape.b, -1, 1, 'float32', 2);
  const args = { inputs: { a, b }, backend: tf.backend(), attrs: { transposeA: shape.transposeA, transposeB: shape.transposeB } } as unknown as Parameters<tf.KernelFunc>[0];
  const slow = time(original, args);
  const fast = time(simd, args);
  const [m, k] = shape.transposeA ? [shape.a[2]!, shape.a[1]!] : [shape.a[1]!, shape.a[2]!];
  const n = shape.transposeB ? shape.b[1]! : shape.b[2]!;
  const gflops = (2 * shape.a[0]! * m * n * k) / (fast.wall * 1e6);
  const flags = [shape.transposeA ? 'tA' : '', shape.transposeB ? 'tB' : ''].filter(Boolean).join(' ') || '—';
  console.log(
    `| ${shape.what} | ${shape.a.join('×')} | ${shape.b.join('×')} | ${flags} | ${slow.cpu.toFixed(2)} (${slow.wall.toFixed(2)}) | ${fast.cpu.toFixed(2)} (${fast.wall.toFixed(2)}) | ${(slow.cpu / fast.cpu).toFixed(1)}x | ${(slow.wall / fast.wall).toFixed(1)}x | ${gflops.toFixed(1)} |`,
  );
  tf.dispose([a, b]);
}
