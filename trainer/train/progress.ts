/**
 * Training progress: a cli-progress bar on a TTY (step, loss, lr, examples/s, ETA), otherwise a
 * plain line every `every` steps, so logs in CI and files stay readable.
 */
import cliProgress from 'cli-progress';

export interface StepReport {
  step: number;
  loss: number;
  lr: number;
  examplesPerSecond: number;
}

export interface Progress {
  update(report: StepReport): void;
  /** A line that must not be overdrawn by the bar (validation, checkpoints). */
  note(line: string): void;
  stop(): void;
}

export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return '?';
  const s = Math.round(seconds);
  return s >= 3600 ? `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m` : s >= 60 ? `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s` : `${s}s`;
}

export function formatStep(report: StepReport, total: number, etaSeconds: number): string {
  return `step ${report.step}/${total} | loss ${report.loss.toFixed(4)} | lr ${report.lr.toExponential(2)} | ${report.examplesPerSecond.toFixed(1)} ex/s | ETA ${formatDuration(etaSeconds)}`;
}

function barProgress(stream: NodeJS.WriteStream, total: number, startStep: number): Progress {
  const bar = new cliProgress.SingleBar({
    stream,
    format: 'step {value}/{total} |{bar}| loss {loss} | lr {lr} | {rate} ex/s | ETA {eta_formatted}',
    hideCursor: true,
    clearOnComplete: false,
    etaBuffer: 20,
  }, cliProgress.Presets.shades_classic);
  bar.start(total, startStep, { loss: '-', lr: '-', rate: '-' });
  return {
    update: (r) => bar.update(r.step, { loss: r.loss.toFixed(4), lr: r.lr.toExponential(2), rate: r.examplesPerSecond.toFixed(1) }),
    note(line) {
      // cli-progress has no "log above the bar": clear the line, write, and let the next update redraw.
      stream.write(`\r\x1b[2K${line}\n`);
    },
    stop: () => bar.stop(),
  };
}

function lineProgress(write: (line: string) => void, total: number, startStep: number, every: number): Progress {
  const started = Date.now();
  return {
    update(r) {
      if (r.step % every !== 0 && r.step !== total) return;
      const perStep = (Date.now() - started) / 1000 / Math.max(1, r.step - startStep);
      write(formatStep(r, total, perStep * (total - r.step)));
    },
    note: write,
    stop: () => undefined,
  };
}

export function createProgress(options: { total: number; startStep: number; every: number; stream?: NodeJS.WriteStream; write?: (line: string) => void }): Progress {
  const stream = options.stream ?? process.stderr;
  if (stream.isTTY === true) return barProgress(stream, options.total, options.startStep);
  return lineProgress(options.write ?? ((line) => stream.write(`${line}\n`)), options.total, options.startStep, options.every);
}
