/**
 * Keeps up to `size` items in flight while handing their results on in input order: records are
 * resolved concurrently (their images decode in parallel) but shards are written deterministically.
 * An item already resolved with nothing ahead of it is handed on at once, without a promise: most
 * records of a big source need no waiting, and a promise per record costs more than its own work.
 */
export class OrderedWindow<T> {
  private readonly items: (T | Promise<T>)[] = [];

  /** `handle` may return a promise; the next item waits for it. */
  constructor(private readonly size: number, private readonly handle: (item: T) => Promise<void> | void) {}

  /**
   * Adds an item (a value, or a promise of one); handles the oldest ones while the window is full.
   * Returns a promise only when it has to wait; push again only once that has settled.
   */
  push(item: T | Promise<T>): Promise<void> | undefined {
    if (item instanceof Promise) {
      item.catch(() => undefined);
    } else if (this.items.length === 0) {
      const handled = this.handle(item);
      return handled ? handled : undefined;
    }
    this.items.push(item);
    return this.handleDownTo(this.size - 1);
  }

  async drain(): Promise<void> {
    await this.handleDownTo(0);
  }

  private handleDownTo(remaining: number): Promise<void> | undefined {
    while (this.items.length > remaining) {
      if (this.items[0] instanceof Promise) return this.waitDownTo(remaining);
      const handled = this.handle(this.items.shift() as T);
      if (handled) return handled.then(() => this.waitDownTo(remaining));
    }
    return undefined;
  }

  private async waitDownTo(remaining: number): Promise<void> {
    while (this.items.length > remaining) {
      const head = this.items.shift()!;
      const handled = this.handle(head instanceof Promise ? await head : head);
      if (handled) await handled;
    }
  }

  /** After a failure: lets what is in flight finish without handling it. */
  async discard(): Promise<void> {
    await Promise.allSettled(this.items.splice(0));
  }
}
