/**
 * Evaluation progress per dataset: a cli-progress bar on a TTY (examples, ex/s, ETA), otherwise
 * plain lines at about every tenth of the dataset and at its end, so CI logs stay short.
 */
import cliProgress from 'cli-progress';
import { formatDuration } from '../train/progress.ts';

export interface DatasetProgress {
  /** `done` examples were already predicted (a resumed evaluation). */
  start(dataset: string, total: number, done: number): void;
  advance(examples: number): void;
  /** A line the bar must not overdraw. */
  note(line: string): void;
  finish(): void;
}

function barProgress(stream: NodeJS.WriteStream): DatasetProgress {
  let bar: cliProgress.SingleBar | null = null;
  let started = 0;
  let made = 0;
  return {
    start(dataset, total, done) {
      bar = new cliProgress.SingleBar({
        stream, format: `${dataset.padEnd(13)} |{bar}| {value}/{total} | {rate} ex/s | ETA {eta_formatted}`, hideCursor: true, etaBuffer: 20,
      }, cliProgress.Presets.shades_classic);
      bar.start(total, done, { rate: '-' });
      started = Date.now();
      made = 0;
    },
    advance(examples) {
      made += examples;
      // The rate counts this session's examples only: a resumed start is not progress.
      bar?.increment(examples, { rate: (made / Math.max((Date.now() - started) / 1000, 1e-9)).toFixed(2) });
    },
    note(line) {
      stream.write(`\r\x1b[2K${line}\n`);
    },
    finish() {
      bar?.stop();
      bar = null;
    },
  };
}

function lineProgress(write: (line: string) => void): DatasetProgress {
  let state = { dataset: '', total: 0, done: 0, startDone: 0, started: 0, nextReport: 0 };
  const report = () => {
    const seconds = (Date.now() - state.started) / 1000;
    const rate = (state.done - state.startDone) / Math.max(seconds, 1e-9);
    write(`${state.dataset}: ${state.done}/${state.total} examples, ${rate.toFixed(2)} ex/s, ETA ${formatDuration((state.total - state.done) / rate)}`);
  };
  return {
    start(dataset, total, done) {
      state = { dataset, total, done, startDone: done, started: Date.now(), nextReport: done + Math.max(1, Math.ceil(total / 10)) };
      if (done > 0) write(`${dataset}: resuming after ${done} of ${total} examples`);
    },
    advance(examples) {
      state.done += examples;
      if (state.done >= state.nextReport && state.done < state.total) {
        report();
        state.nextReport = state.done + Math.max(1, Math.ceil(state.total / 10));
      }
    },
    note: write,
    finish() {
      if (state.done > state.startDone) report();
    },
  };
}

export function createDatasetProgress(stream: NodeJS.WriteStream = process.stderr, write?: (line: string) => void): DatasetProgress {
  return stream.isTTY === true ? barProgress(stream) : lineProgress(write ?? ((line) => stream.write(`${line}\n`)));
}
