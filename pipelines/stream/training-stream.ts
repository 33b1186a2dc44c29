/**
 * The training stream: sampler -> records -> render -> tokenize -> images -> padded batches.
 *
 * A batch is the next `batchSize` draws of this rank (the sampler's block is the batch size, so
 * ranks partition the global stream batch by batch). Draws are taken in order when a batch is
 * started, so batches are the same however their preparation interleaves; up to `prefetch` batches
 * are prepared ahead of the consumer, which bounds memory. The resume state is the sampler's state
 * after the last batch handed out.
 */
import { PAPER_TOKEN_LIMITS, loadTemplateLibrary, type TemplateLibrary, type TokenLimits } from '../format/index.ts';
import { buildMixturePlan, type Draw, type MixtureConfig, type MixturePlan, MixtureSampler, type SamplerState } from '../mixture/index.ts';
import type { TrainingBatch } from './batch.ts';
import { padSequences, targetLabels, targetLossMask } from './collate.ts';
import { assertPlanMatches, loadLocators, trainingSizes } from './dataset-locators.ts';
import { type MediaCacheOptions, MediaSource, type MediaSourceStats } from './media-source.ts';
import { DEFAULT_MEMO_ENTRIES, memoizedEncode } from './memo-encoder.ts';
import { decodeBatchFrames, type SkipImage } from './pixel-batch.ts';
import { PixelBuffers } from './pixel-buffers.ts';
import { PixelPool } from './pixel-pool.ts';
import { type ExampleContext, prepareExample } from './prepare-example.ts';
import { type RecordCacheOptions, RecordSource, type RecordSourceStats } from './record-source.ts';
import type { StreamTokenizers } from './tokenizers.ts';

export interface TrainingStreamOptions {
  shardsDir: string;
  manifestsDir: string;
  /** A plan (its sizes must match the manifests), or a config planned with the manifests' sizes. */
  mixture: MixturePlan | MixtureConfig;
  /** Total draws of the run, for policies that plan a whole run (unimax); only with a config. */
  budget?: number;
  tokenizers: StreamTokenizers;
  /** Examples per batch on this rank. */
  batchSize: number;
  rank?: number;
  world?: number;
  resumeFrom?: SamplerState;
  allowMixtureChange?: boolean;
  /** Batches prepared ahead of the consumer. */
  prefetch?: number;
  /** Side of the square the images are resized to. */
  imageSize?: number;
  limits?: TokenLimits;
  templates?: TemplateLibrary;
  /** Image-decoding worker threads (default: one per core). */
  imageWorkers?: number;
  /** A pool to share between streams instead (workers take a while to start); the stream leaves it open. */
  pixelPool?: PixelPool;
  recordCache?: RecordCacheOptions;
  mediaCache?: MediaCacheOptions;
  /** Cached tokenizations per tokenizer. */
  memoEntries?: number;
  /**
   * Images whose pixels the consumer does not need (a frozen encoder's cached features): not read
   * or decoded, left as zeros, and listed in the batch's omittedImages. Asked when a batch is
   * assembled, up to `prefetch` batches ahead, so it must stay true for a key once it is true.
   */
  skipImage?: SkipImage;
}

export interface TrainingStreamStats {
  batches: number;
  examples: number;
  records: RecordSourceStats;
  media: MediaSourceStats;
}

export const DEFAULT_PREFETCH = 2;
export const DEFAULT_IMAGE_SIZE = 224;

const isPlan = (mixture: MixturePlan | MixtureConfig): mixture is MixturePlan => 'probabilities' in mixture;

export async function createTrainingStream(options: TrainingStreamOptions): Promise<TrainingStream> {
  const { batchSize, prefetch = DEFAULT_PREFETCH, imageSize = DEFAULT_IMAGE_SIZE } = options;
  for (const [name, value, min] of [['batchSize', batchSize, 1], ['prefetch', prefetch, 0], ['imageSize', imageSize, 1]] as const) {
    if (!Number.isInteger(value) || value < min) throw new RangeError(`training stream: ${name} must be an integer >= ${min}, got ${value}`);
  }
  const mixture = options.mixture;
  const locators = loadLocators(options.manifestsDir, mixture.datasets);
  const plan = isPlan(mixture) ? mixture : buildMixturePlan(mixture, trainingSizes(locators), { budget: options.budget });
  assertPlanMatches(plan, locators);
  const sampler = new MixtureSampler(plan, {
    rank: options.rank, world: options.world, block: batchSize, resumeFrom: options.resumeFrom, allowMixtureChange: options.allowMixtureChange,
  });
  const media = await MediaSource.open(options.shardsDir, options.mediaCache);
  const records = new RecordSource(options.shardsDir, options.recordCache);
  const { tokenizers, memoEntries = DEFAULT_MEMO_ENTRIES } = options;
  const context: ExampleContext = {
    locators, records, seed: plan.seed,
    templates: options.templates ?? loadTemplateLibrary(),
    limits: options.limits ?? PAPER_TOKEN_LIMITS,
    encoders: {
      tokenizers,
      qformer: { encode: memoizedEncode(tokenizers.qformer, memoEntries) },
      lm: { encode: memoizedEncode(tokenizers.lm, memoEntries) },
    },
  };
  const pool = options.pixelPool ?? new PixelPool(options.imageWorkers);
  const ownPool = options.pixelPool === undefined;
  return new TrainingStream(plan, sampler, context, media, { pool, close: () => (ownPool ? pool.close() : Promise.resolve()), skip: options.skipImage }, { batchSize, prefetch, imageSize });
}

export class TrainingStream implements AsyncIterable<TrainingBatch> {
  private readonly ahead: Promise<TrainingBatch>[] = [];
  private handedOut: SamplerState;
  private failure: Error | null = null;
  private closed = false;
  private batches = 0;
  private readonly buffers: PixelBuffers;

  constructor(
    readonly plan: MixturePlan,
    private readonly sampler: MixtureSampler,
    private readonly context: ExampleContext,
    private readonly media: MediaSource,
    private readonly pixels: { pool: PixelPool; close: () => Promise<void>; skip?: SkipImage },
    private readonly shape: { batchSize: number; prefetch: number; imageSize: number },
  ) {
    this.handedOut = sampler.state();
    // Arrays in preparation, handed out and not yet given back, and a few spare.
    this.buffers = new PixelBuffers(shape.prefetch + 2);
  }

  /** The state to checkpoint: a stream created with resumeFrom it yields exactly the batches that would follow. */
  state(): SamplerState {
    return this.handedOut;
  }

  /** The next batch; the stream never ends (the sampler cycles through epochs). */
  async next(): Promise<TrainingBatch> {
    if (this.closed) throw new Error('training stream is closed');
    if (this.failure) throw this.failure;
    this.fill(1);
    const batch = this.ahead.shift()!;
    try {
      const ready = await batch;
      // Calls that overlap may settle out of order; the state only moves forward.
      if (ready.state.next > this.handedOut.next) this.handedOut = ready.state;
      this.batches++;
      return ready;
    } catch (err) {
      this.failure = err as Error;
      throw err;
    }
  }

  /**
   * Gives the batch's pixel array back for a later batch to reuse: call it once the batch's pixels
   * are consumed (copied into a tensor that is since disposed, or to the wasm heap). Optional, but
   * without it every batch allocates its array anew. The batch's pixelValues must not be read after.
   */
  release(batch: TrainingBatch): void {
    this.buffers.give(batch.pixelValues.data);
  }

  /** Iterating and leaving the loop (break, return, throw) closes the stream. */
  async *[Symbol.asyncIterator](): AsyncGenerator<TrainingBatch> {
    try {
      for (;;) yield await this.next();
    } finally {
      await this.close();
    }
  }

  stats(): TrainingStreamStats {
    return { batches: this.batches, examples: this.batches * this.shape.batchSize, records: this.context.records.stats(), media: this.media.stats() };
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.allSettled(this.ahead.splice(0));
    await Promise.all([this.pixels.close(), this.context.records.close(), this.media.close()]);
  }

  /** Starts batches until `prefetch + extra` are in preparation. */
  private fill(extra: number): void {
    while (this.ahead.length < this.shape.prefetch + extra) {
      const draws: Draw[] = Array.from({ length: this.shape.batchSize }, () => this.sampler.next());
      const batch = this.assemble(draws, this.sampler.state());
      batch.catch(() => undefined); // reported by next(), in order
      this.ahead.push(batch);
    }
  }

  private async assemble(draws: readonly Draw[], state: SamplerState): Promise<TrainingBatch> {
    const examples = await Promise.all(draws.map((draw) => prepareExample(draw, this.context)));
    const provenance = examples.map((e) => e.provenance);
    const tokens = examples.map((e) => e.tokens);
    const { tokenizers } = this.context.encoders;
    const qformer = padSequences(tokens.map((t) => t.qformerIds), tokenizers.qformer.padId);
    const lm = padSequences(tokens.map((t) => t.lmIds), tokenizers.lm.padId);
    const pixels = await decodeBatchFrames(provenance, this.media, this.pixels.pool, this.shape.imageSize, this.pixels.skip, this.buffers);
    return {
      ...pixels,
      qformerInputIds: qformer.ids,
      qformerAttentionMask: qformer.attentionMask,
      lmInputIds: lm.ids,
      lmAttentionMask: lm.attentionMask,
      lmLossMask: targetLossMask(tokens, lm.ids.shape[1]),
      lmLabels: targetLabels(tokens, lm.ids.shape[1]),
      provenance,
      state,
    };
  }
}
