/**
 * Progress of long work: a bar (items, bytes, rate, ETA) on a terminal, plain throttled lines
 * otherwise (logs, CI). Both say the same things.
 */
import cliProgress from 'cli-progress';
import { formatBytes, formatSeconds } from './units.ts';

export interface ProgressSink {
  /** Starts a phase of `total` items (files, or images). */
  begin(label: string, total: number): void;
  advance(items: number, bytes: number): void;
  /** A line to keep (a failure, a skipped file). */
  note(line: string): void;
  end(): void;
}

export const silentProgress: ProgressSink = { begin() {}, advance() {}, note() {}, end() {} };

interface Phase {
  label: string;
  total: number;
  items: number;
  bytes: number;
  startedAt: number;
}

function describe(phase: Phase, now: number): string {
  const seconds = Math.max((now - phase.startedAt) / 1000, 1e-3);
  const itemRate = phase.items / seconds;
  const eta = itemRate > 0 ? (phase.total - phase.items) / itemRate : Number.POSITIVE_INFINITY;
  return `${phase.items}/${phase.total} items, ${formatBytes(phase.bytes)}, ${itemRate.toFixed(1)} items/s, `
    + `${formatBytes(phase.bytes / seconds)}/s, ETA ${formatSeconds(eta)}`;
}

export function lineProgress(write: (line: string) => void, intervalMs = 5000, now: () => number = Date.now): ProgressSink {
  let phase: Phase | null = null;
  let lastLine = 0;
  return {
    begin(label, total) {
      phase = { label, total, items: 0, bytes: 0, startedAt: now() };
      lastLine = now();
      write(`${label}: ${total} items`);
    },
    advance(items, bytes) {
      if (!phase) return;
      phase.items += items;
      phase.bytes += bytes;
      if (now() - lastLine >= intervalMs) {
        lastLine = now();
        write(`${phase.label}: ${describe(phase, lastLine)}`);
      }
    },
    note: write,
    end() {
      if (phase) write(`${phase.label}: done, ${describe(phase, now())}`);
      phase = null;
    },
  };
}

export function barProgress(stream: NodeJS.WritableStream): ProgressSink {
  // One MultiBar per phase: a stopped MultiBar would redraw its finished bars with the next one.
  let bars: cliProgress.MultiBar | null = null;
  let bar: cliProgress.SingleBar | null = null;
  let bytes = 0;
  let startedAt = 0;
  return {
    begin(label, total) {
      bytes = 0;
      startedAt = Date.now();
      bars = new cliProgress.MultiBar(
        {
          stream,
          format: '{label} |{bar}| {value}/{total} items | {done} | {rate}/s | ETA {eta_formatted}',
          hideCursor: true,
          clearOnComplete: false,
          etaBuffer: 50,
        },
        cliProgress.Presets.shades_classic,
      );
      bar = bars.create(total, 0, { label, done: formatBytes(0), rate: formatBytes(0) });
    },
    advance(items, more) {
      bytes += more;
      const seconds = Math.max((Date.now() - startedAt) / 1000, 1e-3);
      bar?.increment(items, { done: formatBytes(bytes), rate: formatBytes(bytes / seconds) });
    },
    note(line) {
      if (bars) bars.log(`${line}\n`);
      else stream.write(`${line}\n`);
    },
    end() {
      // Notes wait in the bar's buffer until its next redraw: draw once more so none is lost.
      bars?.update();
      bars?.stop();
      bars = null;
      bar = null;
    },
  };
}
