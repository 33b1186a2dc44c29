/**
 * Aborts a request that makes no progress: no headers within `headersTimeoutMs`, or no body chunk
 * within `bodyTimeoutMs` of the previous one. undici's own timeouts run on a coarse (about one
 * second) timer wheel, too coarse for short, precise limits, so we keep our own native timer.
 */
import { FetchFailure } from './fetch-failure.ts';

export class StallWatchdog {
  private readonly controller = new AbortController();
  private timer: NodeJS.Timeout;
  private limitMs: number;

  constructor(
    headersTimeoutMs: number,
    private readonly bodyTimeoutMs: number,
    private readonly what: string,
  ) {
    this.limitMs = headersTimeoutMs;
    this.timer = setTimeout(() => this.fire('no response headers'), headersTimeoutMs);
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** Headers arrived: from now on the body may pause at most bodyTimeoutMs between chunks. */
  headersReceived(): void {
    clearTimeout(this.timer);
    this.limitMs = this.bodyTimeoutMs;
    this.timer = setTimeout(() => this.fire('body stalled'), this.bodyTimeoutMs);
  }

  /** A chunk arrived. */
  progress(): void {
    this.timer.refresh();
  }

  stop(): void {
    clearTimeout(this.timer);
  }

  private fire(what: string): void {
    this.controller.abort(new FetchFailure('timeout', `${this.what}: timed out (${what} for ${this.limitMs} ms)`, true));
  }
}
