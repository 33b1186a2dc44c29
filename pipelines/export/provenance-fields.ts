/** Where an exported example came from, as snake_case keys for the JSON formats (LAVIS, LLaVA, webdataset). */
import type { ExportExample } from './example-schema.ts';

export function provenanceFields(example: ExportExample): Record<string, unknown> {
  return {
    index: example.index,
    n: example.n,
    dataset: example.dataset,
    split: example.split,
    record_id: example.recordId,
    record_index: example.recordIndex,
    epoch: example.epoch,
    template_id: example.templateId,
    example_index: example.exampleIndex,
    example_count: example.exampleCount,
    source_file: example.sourceFile,
    source_index: example.sourceIndex,
    source_sha256: example.sourceSha256,
  };
}
