/**
 * LLaVA-Instruct-150K: one record per conversation with all its turns, for three datasets
 * (conversation, detail, reasoning). Reads the per-subset files; when none of them is present,
 * llava_instruct_150k.json, with each record's subset told from its content (subset-of.ts).
 * Images are COCO's, found by id in whichever COCO archives raw/coco holds.
 */
import type { RawAccess } from '../../raw/access.ts';
import { jsonMembers } from '../../util/json-stream.ts';
import { asObject, BadRecord } from '../common/fields.ts';
import { cocoImageRef } from '../coco/images.ts';
import { quarantined, sourceRecord } from '../common/source-record.ts';
import type { AdapterOutput, SourceAdapter } from '../types.ts';
import { parseEntry, type LlavaEntry } from './entry.ts';
import { COMBINED_FILE, spec, SPLIT, SUBSET_FILES } from './spec.ts';
import { subsetOf } from './subset-of.ts';

const SOURCE = spec.source;

/** The files to read and how each names its records' dataset. */
function inputs(raw: RawAccess): { file: string; datasetOf: (entry: LlavaEntry) => string; fallback: string }[] {
  const present = SUBSET_FILES.filter(({ file }) => raw.exists(SOURCE, file));
  if (present.length > 0) return present.map(({ file, dataset }) => ({ file, datasetOf: () => dataset, fallback: dataset }));
  if (raw.exists(SOURCE, COMBINED_FILE)) {
    // A record too broken to classify is counted with the conversations.
    return [{ file: COMBINED_FILE, datasetOf: (entry) => subsetOf(entry.turns), fallback: 'llava-conversation' }];
  }
  const names = [...SUBSET_FILES.map((s) => s.file), COMBINED_FILE].join(', ');
  throw new Error(`${SOURCE}: none of ${names} is in ${raw.root(SOURCE)}; run ingest for "${SOURCE}"`);
}

/** Native ids repeat when one image has several records; later ones get -2, -3, ... */
function uniqueIds(): (dataset: string, id: string) => string {
  const seen = new Map<string, number>();
  return (dataset, id) => {
    const key = `${dataset}/${id}`;
    const n = (seen.get(key) ?? 0) + 1;
    seen.set(key, n);
    return n === 1 ? id : `${id}-${n}`;
  };
}

async function* readFile(raw: RawAccess, input: ReturnType<typeof inputs>[number]): AsyncGenerator<AdapterOutput> {
  const { file, datasetOf, fallback } = input;
  const nativeId = uniqueIds();
  for await (const { key, value } of jsonMembers(raw.stream(SOURCE, file), [], `${SOURCE}: ${file}`)) {
    const sourceIndex = key as number;
    let entry: LlavaEntry;
    try {
      entry = parseEntry(asObject(value, 'record'));
    } catch (err) {
      if (!(err instanceof BadRecord)) throw err;
      yield quarantined({ dataset: fallback, split: SPLIT, sourceFile: file, sourceIndex }, err);
      continue;
    }
    const dataset = datasetOf(entry);
    const image = await cocoImageRef(raw, entry.cocoId);
    if (!image) {
      yield quarantined({ dataset, split: SPLIT, sourceFile: file, sourceIndex },
        new BadRecord('unknown-image', `no COCO archive in raw/coco holds image ${entry.cocoId} (run ingest for "coco")`));
      continue;
    }
    yield sourceRecord({
      id: `${dataset}/${SPLIT}/${nativeId(dataset, entry.id)}`,
      dataset,
      split: SPLIT,
      conversation: entry.turns,
      meta: JSON.stringify({ imageToken: entry.imageToken }),
      sourceFile: file,
      sourceIndex,
      media: [image],
    });
  }
}

export const adapter: SourceAdapter = {
  spec,
  async *read(raw) {
    for (const input of inputs(raw)) yield* readFile(raw, input);
  },
};
