import pLimit from 'p-limit';

/**
 * Runs `task` over a stream of items with at most `concurrency` running, pulling items only as
 * slots free up so a list of millions never sits in memory. The first task error stops the
 * intake; tasks already started finish, then that error is thrown.
 */
export async function forEachBounded<T>(
  items: AsyncIterable<T> | Iterable<T>,
  concurrency: number,
  task: (item: T) => Promise<void>,
): Promise<void> {
  const limit = pLimit(concurrency);
  // Twice the concurrency queued: a slot that frees while the producer is busy finds work waiting.
  const maxQueued = concurrency * 2;
  let queued = 0;
  let wake: (() => void) | null = null;
  const outcome: { failed: boolean; error?: unknown } = { failed: false };
  const settled = () => {
    queued--;
    wake?.();
    wake = null;
  };
  const queueBelow = async (bound: number) => {
    while (queued > bound) await new Promise<void>((resolve) => (wake = resolve));
  };
  for await (const item of items) {
    if (outcome.failed) break;
    queued++;
    void limit(() => task(item)).then(settled, (error: unknown) => {
      if (!outcome.failed) Object.assign(outcome, { failed: true, error });
      settled();
    });
    await queueBelow(maxQueued - 1);
  }
  await queueBelow(0);
  if (outcome.failed) throw outcome.error;
}
