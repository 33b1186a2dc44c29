/**
 * A map that holds at most `capacity` total weight (1 per entry unless weighed), dropping the least
 * recently used entries first. An entry's weight can be set later, once its value has resolved.
 */
export class LruCache<K, V> {
  private readonly entries = new Map<K, { value: V; weight: number }>();
  private total = 0;

  constructor(private readonly capacity: number, private readonly onEvict?: (key: K, value: V) => void) {
    if (!(capacity > 0)) throw new RangeError(`cache capacity must be positive, got ${capacity}`);
  }

  get size(): number {
    return this.entries.size;
  }

  /** Total weight held. */
  get weight(): number {
    return this.total;
  }

  get(key: K): V | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    this.entries.delete(key);
    this.entries.set(key, entry);
    return entry.value;
  }

  /** The value without touching its recency. */
  peek(key: K): V | undefined {
    return this.entries.get(key)?.value;
  }

  set(key: K, value: V, weight = 1): void {
    this.delete(key);
    this.entries.set(key, { value, weight });
    this.total += weight;
    this.evict();
  }

  /** Re-weighs an entry still present (a no-op once it was evicted). */
  setWeight(key: K, weight: number): void {
    const entry = this.entries.get(key);
    if (!entry) return;
    this.total += weight - entry.weight;
    entry.weight = weight;
    this.evict();
  }

  delete(key: K): boolean {
    const entry = this.entries.get(key);
    if (!entry) return false;
    this.entries.delete(key);
    this.total -= entry.weight;
    return true;
  }

  /** Drops every entry, calling onEvict for each. */
  clear(): void {
    for (const [key, entry] of [...this.entries]) {
      this.entries.delete(key);
      this.onEvict?.(key, entry.value);
    }
    this.total = 0;
  }

  /** The newest entry always stays, even when it alone is heavier than the capacity. */
  private evict(): void {
    for (const [key, entry] of this.entries) {
      if (this.total <= this.capacity || this.entries.size <= 1) return;
      this.entries.delete(key);
      this.total -= entry.weight;
      this.onEvict?.(key, entry.value);
    }
  }
}
