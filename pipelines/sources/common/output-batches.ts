/**
 * Adapters of big sources convert a whole batch of parsed members at a time; this hands the
 * outputs on one by one as SourceAdapter.read must, without an async generator step per output
 * (a resolved promise is all a buffered output costs, a third of a generator's yield).
 */
export function oneByOne<T>(batches: AsyncIterable<T[]>): AsyncIterableIterator<T> {
  const source = batches[Symbol.asyncIterator]();
  let batch: T[] = [];
  let at = 0;
  const refill = async (): Promise<IteratorResult<T>> => {
    for (;;) {
      const step = await source.next();
      if (step.done) return { value: undefined, done: true };
      batch = step.value;
      at = 0;
      if (batch.length > 0) return { value: batch[at++], done: false };
    }
  };
  const iterator: AsyncIterableIterator<T> = {
    next: () => (at < batch.length ? Promise.resolve({ value: batch[at++], done: false }) : refill()),
    // A consumer that stops early closes the source, and with it the files it reads.
    return: async () => {
      batch = [];
      await source.return?.();
      return { value: undefined, done: true };
    },
    [Symbol.asyncIterator]: () => iterator,
  };
  return iterator;
}
