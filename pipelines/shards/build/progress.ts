/**
 * Build progress: a cli-progress line (records, rate) on a TTY, a plain line every few seconds
 * otherwise (logs, CI), nothing in tests.
 */
import cliProgress from 'cli-progress';

export interface BuildProgress {
  start(source: string): void;
  update(records: number, quarantined: number): void;
  stop(): void;
}

export const silentProgress: BuildProgress = { start: () => undefined, update: () => undefined, stop: () => undefined };

const rate = (n: number, since: number) => Math.round(n / Math.max(0.001, (performance.now() - since) / 1000));

export function ttyProgress(): BuildProgress {
  const bar = new cliProgress.SingleBar({
    format: '{source} | {value} records | {rate} records/s | {quarantined} quarantined | {duration_formatted}',
    hideCursor: true,
    clearOnComplete: false,
  });
  let since = 0;
  let source = '';
  return {
    start(name) {
      source = name;
      since = performance.now();
      bar.start(0, 0, { source, rate: 0, quarantined: 0 });
    },
    update(records, quarantined) {
      bar.setTotal(records);
      bar.update(records, { source, rate: rate(records, since), quarantined });
    },
    stop: () => bar.stop(),
  };
}

export function lineProgress(log: (line: string) => void, everyMs = 5000): BuildProgress {
  let since = 0;
  let last = 0;
  let source = '';
  let latest = { records: 0, quarantined: 0 };
  const say = () => log(`${source}: ${latest.records.toLocaleString('en-US')} records (${rate(latest.records, since).toLocaleString('en-US')}/s), ${latest.quarantined} quarantined`);
  return {
    start(name) {
      source = name;
      since = performance.now();
      last = since;
      latest = { records: 0, quarantined: 0 };
    },
    update(records, quarantined) {
      latest = { records, quarantined };
      if (performance.now() - last >= everyMs) {
        last = performance.now();
        say();
      }
    },
    stop: say,
  };
}
