/** Everything the report reads from a run folder, read once. */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { MixtureLedger } from '../../../pipelines/mixture/index.ts';
import { CHECKPOINT_FILES, listCheckpoints } from '../checkpoint.ts';
import type { TrainConfig } from '../config.ts';
import { type EventRecord, type MetricRecord, readMetrics, type TrainRecord, type ValidationRecord } from '../metrics.ts';

export interface RunFolder {
  dir: string;
  name: string;
  config: TrainConfig | null;
  train: TrainRecord[];
  validation: ValidationRecord[];
  events: EventRecord[];
  checkpoints: number[];
  /** The newest checkpoint's ledger. */
  ledger: { observed: MixtureLedger; expected: MixtureLedger } | null;
}

export function readRunFolder(dir: string): RunFolder {
  const configFile = path.join(dir, 'config.json');
  const metrics: MetricRecord[] = readMetrics(path.join(dir, 'metrics.jsonl'));
  const checkpoints = listCheckpoints(path.join(dir, 'checkpoints'));
  const newest = checkpoints[checkpoints.length - 1];
  const ledgerFile = newest === undefined ? null : path.join(newest.dir, CHECKPOINT_FILES.ledger);
  return {
    dir,
    name: path.basename(dir),
    config: existsSync(configFile) ? (JSON.parse(readFileSync(configFile, 'utf8')) as TrainConfig) : null,
    train: metrics.filter((r): r is TrainRecord => r.kind === 'train'),
    validation: metrics.filter((r): r is ValidationRecord => r.kind === 'val'),
    events: metrics.filter((r): r is EventRecord => r.kind === 'event'),
    checkpoints: checkpoints.map((c) => c.step),
    ledger: ledgerFile !== null && existsSync(ledgerFile) ? JSON.parse(readFileSync(ledgerFile, 'utf8')) : null,
  };
}
