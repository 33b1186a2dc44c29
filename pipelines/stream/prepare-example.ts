/**
 * One draw of the sampler to one tokenized training example: locate the record, read it, render
 * it with the draw's epoch, pick one example (pick-example.ts), tokenize it. Images are left to the
 * batch (training-stream.ts), which decodes them on worker threads.
 */
import { renderForTraining, type TemplateLibrary, type TokenLimits } from '../format/index.ts';
import type { Draw } from '../mixture/index.ts';
import type { ExampleProvenance } from './batch.ts';
import { pickExampleIndex } from './pick-example.ts';
import { describeLocation, type TrainingRecordLocator } from './record-locator.ts';
import type { RecordSource } from './record-source.ts';
import { type ExampleEncoders, type TokenizedExample, tokenizeExample } from './tokenize-example.ts';

export interface PreparedExample {
  tokens: TokenizedExample;
  provenance: ExampleProvenance;
}

export interface ExampleContext {
  locators: ReadonlyMap<string, TrainingRecordLocator>;
  records: RecordSource;
  templates: TemplateLibrary;
  encoders: ExampleEncoders;
  limits: TokenLimits;
  /** The mixture's seed: rendering and the example pick derive from it. */
  seed: number;
}

export async function prepareExample(draw: Draw, ctx: ExampleContext): Promise<PreparedExample> {
  const locator = ctx.locators.get(draw.dataset);
  if (!locator) throw new Error(`draw ${draw.n}: dataset ${draw.dataset} has no shards loaded`);
  const at = locator.locate(draw.record);
  const record = await ctx.records.read(at);
  try {
    if (record.dataset !== draw.dataset) throw new Error(`holds a record of ${record.dataset} (${record.id}); the shards were mixed up, rebuild them`);
    if (record.images.length === 0) throw new Error(`record ${record.id} has no image`);
    const examples = renderForTraining(record, ctx.templates, { seed: ctx.seed, epoch: draw.epoch });
    const exampleIndex = pickExampleIndex(examples.length, ctx.seed, draw.n);
    const example = examples[exampleIndex];
    const tokens = tokenizeExample(example, ctx.encoders, ctx.limits);
    return {
      tokens,
      provenance: {
        n: draw.n, dataset: draw.dataset, record: draw.record, recordId: record.id, epoch: draw.epoch,
        templateId: example.templateId, exampleIndex, exampleCount: examples.length, images: record.images, truncated: tokens.truncated,
      },
    };
  } catch (err) {
    throw new Error(`${describeLocation(at)}, draw ${draw.n}: ${(err as Error).message}`, { cause: err });
  }
}
