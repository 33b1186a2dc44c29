/**
 * runs/<name>/eval/<dataset>.jsonl while it is being made: one line per example, appended and
 * fsynced as each batch is predicted, so an interrupted evaluation resumes after the last whole
 * line. A kill mid-write leaves at most one partial line at the end (no newline yet): reading cuts it
 * off the file. Any other line that does not parse is damage, not an interruption, and is an error.
 * When a dataset is done, the file is rewritten whole (atomically) with each example's score.
 */
import { closeSync, existsSync, fdatasyncSync, mkdirSync, openSync, readFileSync, truncateSync, writeSync } from 'node:fs';
import path from 'node:path';
import { writeFileAtomic } from '../../pipelines/util/atomic.ts';
import type { PredictionLine } from './prediction-line.ts';

export interface ReadPredictions {
  /** By record id; a record predicted twice keeps its first line. */
  lines: Map<string, PredictionLine>;
  /** Bytes of a partial last line that were cut off (0: the file ended cleanly). */
  tornBytes: number;
}

function parseLine(text: string, file: string, lineNumber: number): PredictionLine {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new Error(`${file}: line ${lineNumber} is not valid JSON (${(err as Error).message}); the file is damaged: delete it to predict this dataset again`);
  }
  if (typeof (value as PredictionLine | null)?.id !== 'string') throw new Error(`${file}: line ${lineNumber} has no record id; delete the file to predict this dataset again`);
  return value as PredictionLine;
}

/** Reads the predictions made so far, cutting a torn last line off the file. */
export function readPredictions(file: string): ReadPredictions {
  const lines = new Map<string, PredictionLine>();
  if (!existsSync(file)) return { lines, tornBytes: 0 };
  const bytes = readFileSync(file);
  const end = bytes.lastIndexOf(0x0a) + 1;
  const tornBytes = bytes.length - end;
  if (tornBytes > 0) truncateSync(file, end);
  const text = bytes.subarray(0, end).toString('utf8');
  text.split('\n').forEach((raw, i) => {
    if (raw === '') return;
    const line = parseLine(raw, file, i + 1);
    if (!lines.has(line.id)) lines.set(line.id, line);
  });
  return { lines, tornBytes };
}

export class PredictionAppender {
  private readonly fd: number;

  constructor(readonly file: string) {
    mkdirSync(path.dirname(file), { recursive: true });
    this.fd = openSync(file, 'a');
  }

  /** One write for the whole batch, then fdatasync: the lines are on disk when this returns. */
  append(lines: readonly PredictionLine[]): void {
    if (lines.length === 0) return;
    const bytes = Buffer.from(lines.map((line) => `${JSON.stringify(line)}\n`).join(''), 'utf8');
    let done = 0;
    while (done < bytes.length) done += writeSync(this.fd, bytes, done, bytes.length - done);
    fdatasyncSync(this.fd);
  }

  close(): void {
    closeSync(this.fd);
  }
}

/** The finished file: every line whole, replacing the appended one in one rename. */
export function rewritePredictions(file: string, lines: readonly PredictionLine[]): Promise<void> {
  return writeFileAtomic(file, lines.map((line) => `${JSON.stringify(line)}\n`).join(''));
}
