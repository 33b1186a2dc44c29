/**
 * The deterministic, resumable, rank-aware mixture sampler.
 *
 * The global stream: draw n picks dataset d with probability p_d, from uniform(seed, n) alone. The
 * record it reads is the k-th draw of d, where k counts the earlier draws of d: the k-th draw
 * reads position k mod S_d of epoch ⌊k / S_d⌋, through that epoch's seeded permutation, so each
 * epoch visits every record exactly once. k depends on all earlier draws, so the state keeps one
 * cursor per dataset: state = (n, cursors), a few integers, and resuming from it is exact.
 *
 * Ranks: draw n belongs to rank ⌊n / block⌋ mod world. Every rank walks the whole global stream
 * (choosing a dataset costs one hash) and emits only its own draws, so the ranks partition the
 * stream and their union is the single-rank stream. After each emitted draw a rank skips ahead
 * over the draws of other ranks; with block = per-rank batch size, rank 0's state after a step
 * is therefore the global state at the step boundary, which any world size can resume from.
 */
import { hash32, hashExtend, hashString } from '../util/random.ts';
import { feistelPermutation, type IndexPermutation } from './permutation.ts';
import { assertTrainable, planFingerprint, type MixturePlan } from './plan.ts';

export interface Draw {
  /** Position in the global stream. */
  n: number;
  dataset: string;
  /** Epoch of this dataset the record belongs to (for rendering: templates vary per epoch). */
  epoch: number;
  /** Record index in [0, size): counts over the dataset's training splits, in manifest order. */
  record: number;
}

export interface SamplerState {
  version: 1;
  seed: number;
  /** planFingerprint of the plan the state was taken under. */
  mixture: string;
  /** Next global draw index. */
  next: number;
  /** Draws of each dataset in the global stream before `next`. */
  cursors: Record<string, number>;
}

export interface SamplerOptions {
  rank?: number;
  world?: number;
  /** Consecutive global draws that go to one rank; set it to the per-rank batch size. */
  block?: number;
  resumeFrom?: SamplerState;
  /**
   * Resume a state taken under a different plan (weights, datasets, sizes; not the seed). Each
   * dataset keeps its cursor, so nothing it already served replays; new datasets start at 0.
   */
  allowMixtureChange?: boolean;
}

const DATASET_STREAM = hashString('mixture/dataset');
const ORDER_STREAM = hashString('mixture/order');

/** Cumulative probabilities; the last is exactly 1 so every u in [0, 1) lands somewhere. */
export function cumulative(probabilities: readonly number[]): Float64Array {
  const cdf = new Float64Array(probabilities.length);
  let sum = 0;
  probabilities.forEach((p, i) => {
    sum += p;
    cdf[i] = sum;
  });
  cdf[cdf.length - 1] = 1;
  return cdf;
}

/** The hash prefix of the dataset choices under `seed`: see datasetIndexAt. */
export function datasetChoicePrefix(seed: number): number {
  return hash32(seed, DATASET_STREAM);
}

/** The dataset index of global draw n, u = uniform(seed, DATASET_STREAM, n): a pure function of (seed, n). */
export function datasetIndexAt(cdf: Float64Array, choicePrefix: number, n: number): number {
  const u = hashExtend(choicePrefix, n) / 0x100000000;
  let lo = 0;
  let hi = cdf.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (u < cdf[mid]) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** The order in which one epoch of one dataset is read. */
export function epochPermutation(seed: number, dataset: string, epoch: number, size: number): IndexPermutation {
  return feistelPermutation(size, hash32(seed, ORDER_STREAM, hashString(dataset), epoch));
}

export class MixtureSampler {
  readonly plan: MixturePlan;
  private readonly cdf: Float64Array;
  private readonly choicePrefix: number;
  private readonly fingerprint: string;
  private readonly rank: number;
  private readonly world: number;
  private readonly block: number;
  private readonly cursors: number[];
  private readonly orders: ({ epoch: number; permutation: IndexPermutation } | undefined)[];
  private n = 0;

  constructor(plan: MixturePlan, options: SamplerOptions = {}) {
    plan.datasets.forEach(assertTrainable);
    const { rank = 0, world = 1, block = 1 } = options;
    if (!Number.isInteger(world) || world < 1) throw new Error(`sampler: world must be a positive integer, got ${world}`);
    if (!Number.isInteger(rank) || rank < 0 || rank >= world) throw new Error(`sampler: rank ${rank} is outside [0, ${world})`);
    if (!Number.isInteger(block) || block < 1) throw new Error(`sampler: block must be a positive integer, got ${block}`);
    this.plan = plan;
    this.cdf = cumulative(plan.probabilities);
    this.choicePrefix = datasetChoicePrefix(plan.seed);
    this.fingerprint = planFingerprint(plan);
    this.rank = rank;
    this.world = world;
    this.block = block;
    this.cursors = plan.datasets.map(() => 0);
    this.orders = plan.datasets.map(() => undefined);
    if (options.resumeFrom) this.restore(options.resumeFrom, options.allowMixtureChange ?? false);
    this.skipOtherRanks();
  }

  next(): Draw {
    const n = this.n;
    const d = datasetIndexAt(this.cdf, this.choicePrefix, n);
    const size = this.plan.sizes[d];
    const k = this.cursors[d]++;
    const epoch = Math.floor(k / size);
    const draw: Draw = { n, dataset: this.plan.datasets[d], epoch, record: this.order(d, epoch)(k - epoch * size) };
    this.n = n + 1;
    this.skipOtherRanks();
    return draw;
  }

  /** The state to checkpoint: a sampler built with `resumeFrom` it continues exactly from here. */
  state(): SamplerState {
    return {
      version: 1,
      seed: this.plan.seed,
      mixture: this.fingerprint,
      next: this.n,
      cursors: Object.fromEntries(this.plan.datasets.map((id, d) => [id, this.cursors[d]])),
    };
  }

  private skipOtherRanks(): void {
    if (this.world === 1) return;
    while (Math.floor(this.n / this.block) % this.world !== this.rank) {
      this.cursors[datasetIndexAt(this.cdf, this.choicePrefix, this.n)]++;
      this.n++;
    }
  }

  private order(d: number, epoch: number): IndexPermutation {
    const cached = this.orders[d];
    if (cached?.epoch === epoch) return cached.permutation;
    const permutation = epochPermutation(this.plan.seed, this.plan.datasets[d], epoch, this.plan.sizes[d]);
    this.orders[d] = { epoch, permutation };
    return permutation;
  }

  private restore(state: SamplerState, allowMixtureChange: boolean): void {
    if (state.version !== 1) throw new Error(`sampler state version ${state.version} is not supported (expected 1)`);
    if (state.seed !== this.plan.seed) {
      throw new Error(`sampler state was taken with seed ${state.seed}, the mixture has seed ${this.plan.seed}; record orders would differ`);
    }
    if (state.mixture !== this.fingerprint && !allowMixtureChange) {
      throw new Error(`sampler state was taken under another mixture (${state.mixture}, now ${this.fingerprint}); `
        + 'resume with the same plan, or pass allowMixtureChange to keep each dataset\'s cursor');
    }
    if (!Number.isSafeInteger(state.next) || state.next < 0) throw new Error(`sampler state: next must be a non-negative integer, got ${state.next}`);
    this.n = state.next;
    this.plan.datasets.forEach((id, d) => {
      const cursor = state.cursors[id] ?? 0;
      if (!Number.isSafeInteger(cursor) || cursor < 0) throw new Error(`sampler state: cursor of ${id} must be a non-negative integer, got ${cursor}`);
      this.cursors[d] = cursor;
    });
  }
}
