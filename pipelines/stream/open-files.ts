/**
 * A bounded set of open files (or anything that must be closed), shared by concurrent reads. A
 * file is leased for one piece of work; idle files beyond `capacity` are closed, least recently
 * used first, and a file in use is never closed under its reader.
 */
interface Entry<V> {
  value: Promise<V>;
  users: number;
}

export class OpenFiles<V> {
  /** Insertion order is recency order: a lease moves its entry to the end. */
  private readonly entries = new Map<string, Entry<V>>();
  private opened = 0;
  private closing: Promise<void>[] = [];

  constructor(
    private readonly capacity: number,
    private readonly openFile: (path: string) => Promise<V>,
    private readonly closeFile: (value: V) => Promise<void>,
  ) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`open file limit must be a positive integer, got ${capacity}`);
  }

  /** Files opened so far (a file closed and opened again counts twice). */
  get opens(): number {
    return this.opened;
  }

  get openCount(): number {
    return this.entries.size;
  }

  async use<T>(path: string, work: (file: V) => Promise<T>): Promise<T> {
    let entry = this.entries.get(path);
    if (entry) {
      this.entries.delete(path);
    } else {
      entry = { value: this.openFile(path), users: 0 };
      this.opened++;
      // A failed open is forgotten, so the next lease tries again and reports its own error.
      entry.value.catch(() => {
        if (this.entries.get(path) === entry) this.entries.delete(path);
      });
    }
    this.entries.set(path, entry);
    entry.users++;
    this.closeIdle();
    try {
      return await work(await entry.value);
    } finally {
      entry.users--;
      this.closeIdle();
    }
  }

  async close(): Promise<void> {
    const all = [...this.entries.values()];
    this.entries.clear();
    await Promise.all([...this.closing, ...all.map((e) => this.release(e))]);
  }

  private closeIdle(): void {
    let excess = this.entries.size - this.capacity;
    for (const [path, entry] of this.entries) {
      if (excess <= 0) return;
      if (entry.users > 0) continue;
      this.entries.delete(path);
      excess--;
      const done = this.release(entry);
      this.closing.push(done);
      void done.then(() => {
        this.closing = this.closing.filter((p) => p !== done);
      });
    }
  }

  private async release(entry: Entry<V>): Promise<void> {
    const value = await entry.value.catch(() => null);
    if (value !== null) await this.closeFile(value);
  }
}
