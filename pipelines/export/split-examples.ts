/**
 * The rendered training examples of whole splits, record by record in shard order: every example
 * of every record (LLaVA renders one per assistant turn), at epoch 0 under `seed`. Held-out
 * datasets are zero-shot only and have no training examples; export them as parquet or hf.
 */
import { renderForTraining, type TemplateLibrary } from '../format/index.ts';
import { readShards } from '../shards/shard-reader.ts';
import type { ExportExample } from './example-schema.ts';
import type { SplitSelection } from './selection.ts';

export async function* splitExamples(
  shardsDir: string, selections: readonly SplitSelection[], templates: TemplateLibrary, seed: number,
): AsyncGenerator<ExportExample> {
  const heldOut = selections.filter((s) => s.heldOut).map((s) => `${s.dataset}/${s.split}`);
  if (heldOut.length > 0) {
    throw new Error(`held-out splits have no training examples (zero-shot evaluation only): ${heldOut.join(', ')}; `
      + 'export them with --format parquet or --format hf, or leave them out with --datasets');
  }
  let index = 0;
  for (const selection of selections) {
    for await (const record of readShards(shardsDir, selection.shards)) {
      const examples = renderForTraining(record, templates, { seed, epoch: 0 });
      for (const [exampleIndex, example] of examples.entries()) {
        yield {
          index: index++, n: null, dataset: record.dataset, split: record.split, recordId: record.id, recordIndex: null, epoch: 0,
          templateId: example.templateId, exampleIndex, exampleCount: examples.length, instruction: example.instruction,
          target: example.target, images: record.images, sourceFile: record.sourceFile, sourceIndex: record.sourceIndex,
          sourceSha256: record.sourceSha256,
        };
      }
    }
  }
}
