/**
 * Keeps up to `size` items in flight while handing their results on in input order: records are
 * resolved concurrently (their images decode in parallel) but shards are written deterministically.
 * Resolved items are handed on as soon as everything ahead of them has been, without a promise:
 * most records of a big source need no waiting, a promise per record costs more than its own work,
 * and records held back in the window live long enough for the GC to copy them.
 */
export class OrderedWindow<T> {
  private readonly items: (T | Promise<T>)[] = [];

  /** `handle` may return a promise; the next item waits for it. */
  constructor(private readonly size: number, private readonly handle: (item: T) => Promise<void> | void) {}

  /**
   * Adds an item (a value, or a promise of one) and hands on what is ready; waits for the oldest
   * promise only while `size` items are in flight. Returns a promise only when it has to wait;
   * push again only once that has settled.
   */
  push(item: T | Promise<T>): Promise<void> | undefined {
    if (item instanceof Promise) item.catch(() => undefined);
    // The usual case, a ready item with nothing ahead of it, is handed on without queueing.
    else if (this.items.length === 0) return this.handle(item) ?? undefined;
    this.items.push(item);
    return this.handleReady();
  }

  async drain(): Promise<void> {
    while (this.items.length > 0) await this.handleOldest();
  }

  private handleReady(): Promise<void> | undefined {
    while (this.items.length > 0) {
      const head = this.items[0];
      if (head instanceof Promise) return this.items.length < this.size ? undefined : this.handleOldest().then(() => this.handleReady());
      this.items.shift();
      const handled = this.handle(head);
      if (handled) return handled.then(() => this.handleReady());
    }
    return undefined;
  }

  private async handleOldest(): Promise<void> {
    const head = this.items.shift()!;
    const handled = this.handle(head instanceof Promise ? await head : head);
    if (handled) await handled;
  }

  /** After a failure: lets what is in flight finish without handling it. */
  async discard(): Promise<void> {
    await Promise.allSettled(this.items.splice(0));
  }
}
