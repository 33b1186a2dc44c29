/**
 * What the export tests compare exports against: our own shard reader's records and our renderer's
 * examples, for whichever built tree a test made (the fixture, or the sample mirror's shards).
 */
import { loadTemplateLibrary, renderForTraining } from '../../pipelines/format/index.ts';
import type { InstructRecord } from '../../pipelines/record.ts';
import { readAllManifests } from '../../pipelines/shards/manifest.ts';
import { readShards } from '../../pipelines/shards/shard-reader.ts';
import type { ShardEntry } from '../../pipelines/shards/shard-writer.ts';

/** Every shard part the manifests list, in manifest order. */
export const builtParts = (manifestsDir: string): ShardEntry[] =>
  readAllManifests(manifestsDir).flatMap((m) => Object.values(m.splits).flatMap((s) => s.shards));

/** Our reader's view of a part: records as plain objects (Float32 weights widened as JS numbers). */
export async function ourRecords(shardsDir: string, part: string): Promise<InstructRecord[]> {
  const records: InstructRecord[] = [];
  for await (const r of readShards(shardsDir, [{ path: part, records: 0, bytes: 0, sha256: '', batchRows: [] }])) {
    records.push({ ...r, answerWeights: [...r.answerWeights] });
  }
  return records;
}

export interface RenderedExample {
  record: InstructRecord;
  example: ReturnType<typeof renderForTraining>[number];
  exampleIndex: number;
  exampleCount: number;
}

const templates = loadTemplateLibrary();

/** Every example of `records`, in order, rendered at epoch 0 as a split export renders them. */
export function renderedExamples(records: readonly InstructRecord[], seed: number): RenderedExample[] {
  return records.flatMap((record) => renderForTraining(record, templates, { seed, epoch: 0 }).map((example, exampleIndex, all) => ({
    record, example, exampleIndex, exampleCount: all.length,
  })));
}
