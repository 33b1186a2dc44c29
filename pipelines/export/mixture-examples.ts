/**
 * The first `count` examples of the training stream, in the order the sampler draws them: the same
 * plan (the config planned with the built datasets' sizes), the same record lookup, rendering and
 * per-draw example pick as pipelines/stream, without tokenizing. Another trainer reading this
 * export sees exactly the stream ours trains on.
 */
import { renderForTraining, type TemplateLibrary } from '../format/index.ts';
import { buildMixturePlan, type Draw, type MixtureConfig, type MixturePlan, MixtureSampler } from '../mixture/index.ts';
import type { InstructRecord } from '../record.ts';
import { assertPlanMatches, loadLocators, trainingSizes } from '../stream/dataset-locators.ts';
import { pickExampleIndex } from '../stream/pick-example.ts';
import { describeLocation, type RecordLocation, type TrainingRecordLocator } from '../stream/record-locator.ts';
import { RecordSource } from '../stream/record-source.ts';
import type { ExportExample } from './example-schema.ts';

export interface MixtureSource {
  shardsDir: string;
  manifestsDir: string;
  mixture: MixtureConfig;
  /** Total draws of the run, for policies that plan a whole run (unimax). */
  budget?: number;
}

export interface LoadedPlan {
  plan: MixturePlan;
  locators: ReadonlyMap<string, TrainingRecordLocator>;
}

/** The plan a training run builds from this config and the built datasets' manifests. */
export function loadPlan(source: MixtureSource): LoadedPlan {
  const locators = loadLocators(source.manifestsDir, source.mixture.datasets);
  const plan = buildMixturePlan(source.mixture, trainingSizes(locators), { budget: source.budget });
  assertPlanMatches(plan, locators);
  return { plan, locators };
}

/** The example a draw trains on, rendered and picked as the training stream does. */
export function drawnExample(draw: Draw, at: RecordLocation, record: InstructRecord, templates: TemplateLibrary, seed: number, index: number): ExportExample {
  if (record.dataset !== draw.dataset) throw new Error(`${describeLocation(at)}: holds a record of ${record.dataset} (${record.id}); rebuild the shards`);
  const examples = renderForTraining(record, templates, { seed, epoch: draw.epoch });
  const exampleIndex = pickExampleIndex(examples.length, seed, draw.n);
  const example = examples[exampleIndex];
  return {
    index, n: draw.n, dataset: draw.dataset, split: at.split, recordId: record.id, recordIndex: draw.record, epoch: draw.epoch,
    templateId: example.templateId, exampleIndex, exampleCount: examples.length, instruction: example.instruction,
    target: example.target, images: record.images, sourceFile: record.sourceFile, sourceIndex: record.sourceIndex,
    sourceSha256: record.sourceSha256,
  };
}

export async function* mixtureExamples(source: MixtureSource, count: number, templates: TemplateLibrary): AsyncGenerator<ExportExample> {
  if (!Number.isSafeInteger(count) || count < 1) throw new RangeError(`--examples must be a positive integer, got ${count}`);
  const { plan, locators } = loadPlan(source);
  const sampler = new MixtureSampler(plan);
  const records = new RecordSource(source.shardsDir);
  try {
    for (let index = 0; index < count; index++) {
      const draw = sampler.next();
      const at = locators.get(draw.dataset)!.locate(draw.record);
      yield drawnExample(draw, at, await records.read(at), templates, plan.seed, index);
    }
  } finally {
    await records.close();
  }
}
