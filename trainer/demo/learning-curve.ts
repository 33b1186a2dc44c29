/**
 * The demo's learning curve as text for the terminal: the training loss averaged over equal windows
 * of steps, each with a bar, and the mean validation loss where one was measured in that window.
 */
import type { MetricRecord } from '../train/metrics.ts';

export interface CurvePoint {
  /** Last step of the window. */
  step: number;
  trainLoss: number;
  /** Mean over the held-in datasets of the last validation inside the window, if any. */
  validationLoss?: number;
}

export function curvePoints(records: readonly MetricRecord[], windows: number): CurvePoint[] {
  const train = records.filter((r) => r.kind === 'train');
  const validations = records.filter((r) => r.kind === 'val');
  if (train.length === 0) return [];
  const size = Math.ceil(train.length / Math.min(windows, train.length));
  const points: CurvePoint[] = [];
  for (let start = 0; start < train.length; start += size) {
    const window = train.slice(start, start + size);
    const first = window[0]!.step;
    const last = window[window.length - 1]!.step;
    const point: CurvePoint = { step: last, trainLoss: window.reduce((sum, r) => sum + r.loss, 0) / window.length };
    const validation = validations.filter((v) => v.step >= first && v.step <= last).at(-1);
    if (validation !== undefined) {
      const losses = Object.values(validation.losses);
      if (losses.length > 0) point.validationLoss = losses.reduce((a, b) => a + b, 0) / losses.length;
    }
    points.push(point);
  }
  return points;
}

export function formatCurve(points: readonly CurvePoint[], barWidth = 40): string[] {
  const top = Math.max(...points.map((p) => p.trainLoss), 1e-9);
  const stepWidth = String(points.at(-1)?.step ?? 0).length;
  const lines = [`${'step'.padStart(stepWidth)}  train loss${' '.repeat(barWidth - 8)}  val loss`];
  for (const p of points) {
    const bar = '#'.repeat(Math.max(1, Math.round((p.trainLoss / top) * barWidth)));
    const validation = p.validationLoss === undefined ? '' : p.validationLoss.toFixed(3);
    lines.push(`${String(p.step).padStart(stepWidth)}  ${p.trainLoss.toFixed(3)} ${bar.padEnd(barWidth)}  ${validation}`);
  }
  return lines;
}
