/**
 * runs/<name>/metrics.jsonl: one JSON object per line. `step` counts completed optimizer steps, so
 * the loss of the first step is logged at step 1. A resumed run first drops every line past its
 * checkpoint's step (those steps are trained again), so the file always reads as one run.
 */
import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import { writeFileAtomic } from '../../pipelines/util/atomic.ts';

export interface TrainRecord {
  kind: 'train';
  step: number;
  loss: number;
  lr: number;
  gradNorm: number;
  /** Examples seen so far (steps x global batch). */
  examples: number;
  /** Wall seconds of this step and the share of it spent waiting for the stream. */
  seconds: number;
  dataWait: number;
}

export interface ValidationRecord {
  kind: 'val';
  step: number;
  /** Mean target-token loss per held-in dataset with a val split. */
  losses: Record<string, number>;
}

export interface EventRecord {
  kind: 'event';
  step: number;
  message: string;
}

export type MetricRecord = TrainRecord | ValidationRecord | EventRecord;

export function readMetrics(file: string): MetricRecord[] {
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8').split('\n').filter((line) => line.trim() !== '').flatMap((line) => {
    try {
      return [JSON.parse(line) as MetricRecord];
    } catch {
      // A kill can cut the last line short; everything before it is intact.
      return [];
    }
  });
}

export class MetricsLog {
  private constructor(readonly file: string) {}

  /** Opens the log for a run that continues after `fromStep` completed steps (0: a fresh run). */
  static async open(file: string, fromStep: number): Promise<MetricsLog> {
    const kept = fromStep === 0 ? [] : readMetrics(file).filter((r) => r.step <= fromStep);
    await writeFileAtomic(file, kept.map((r) => `${JSON.stringify(r)}\n`).join(''));
    return new MetricsLog(file);
  }

  append(record: MetricRecord): void {
    appendFileSync(this.file, `${JSON.stringify(record)}\n`);
  }
}
