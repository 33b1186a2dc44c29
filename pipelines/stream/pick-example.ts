/**
 * The multi-example rule. A LLaVA record renders to one example per assistant turn; each draw
 * trains on exactly one of them, chosen uniformly from (seed, draw position n). So every batch
 * holds exactly batchSize examples, the choice survives resume (it depends on n alone), and
 * drawing a record again (another epoch, or a repeat) usually picks another turn.
 */
import { hashString, uniform } from '../util/random.ts';

const EXAMPLE_STREAM = hashString('stream/example');

export function pickExampleIndex(count: number, seed: number, n: number): number {
  if (!Number.isInteger(count) || count < 1) throw new RangeError(`cannot pick one of ${count} examples`);
  return count === 1 ? 0 : Math.floor(uniform(seed, EXAMPLE_STREAM, n) * count);
}
