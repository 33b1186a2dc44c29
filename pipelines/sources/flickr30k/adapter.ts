/**
 * Flickr30K test (Karpathy split): one record per image with its five captions in `answers`.
 * Karpathy's dataset_flickr30k.json holds every split; its train and val images are skipped by the
 * rule `split-not-evaluated` (Flickr30K is held out: only its test split is used), and counted.
 * Without Karpathy's file, LAVIS's flickr30k_test.json is read instead.
 */
import path from 'node:path';
import type { RawAccess } from '../../raw/access.ts';
import { answerShares } from '../common/answer-shares.ts';
import { asObject, BadRecord, objList, relativePath, str, strList } from '../common/fields.ts';
import { guarded, sourceRecord, type RecordPlace } from '../common/source-record.ts';
import type { AdapterOutput, SourceAdapter } from '../types.ts';
import { openJsonStream, type JsonStreamInput } from '../vizwiz/json-stream-input.ts';
import { IMAGES_TAR, imageMember, KARPATHY_FILE, KARPATHY_ZIP, LAVIS_FILE, spec } from './spec.ts';

const SOURCE = spec.source;
const DATASET = 'flickr30k';
const SPLIT = 'test';

function testRecord(place: RecordPlace, member: string, captions: string[], members: Set<string>): AdapterOutput {
  if (!members.has(member)) throw new BadRecord('unknown-image', `${IMAGES_TAR} has no entry ${member}`);
  return sourceRecord({
    ...place,
    id: `${DATASET}/${SPLIT}/${path.posix.parse(member).name}`,
    answers: captions,
    answerWeights: answerShares(captions),
    media: [{ kind: 'image', source: SOURCE, path: IMAGES_TAR, member }],
  });
}

async function* readKarpathy(input: JsonStreamInput, members: Set<string>): AsyncGenerator<AdapterOutput> {
  for await (const { key, value } of input.members(['images'])) {
    const place: RecordPlace = { dataset: DATASET, split: SPLIT, sourceFile: input.file, sourceIndex: key as number };
    const split = (value as { split?: unknown } | null)?.split;
    if (typeof split === 'string' && split !== SPLIT) {
      yield { skip: { dataset: DATASET, split, rule: 'split-not-evaluated' } };
      continue;
    }
    yield await guarded(place, async () => {
      const image = asObject(value, 'image entry');
      str(image, 'split'); // reached only when the split is missing or not a string: quarantined here
      const captions = objList(image, 'sentences').map((s) => str(s, 'raw').trim());
      return testRecord(place, imageMember(relativePath(image, 'filename')), captions, members);
    });
  }
}

async function* readLavis(input: JsonStreamInput, members: Set<string>): AsyncGenerator<AdapterOutput> {
  for await (const { key, value } of input.members()) {
    if (typeof key !== 'number') throw new Error(`${SOURCE}: ${input.label} is not an array; LAVIS's ${LAVIS_FILE} is one, fetch it again`);
    const place: RecordPlace = { dataset: DATASET, split: SPLIT, sourceFile: input.file, sourceIndex: key };
    yield await guarded(place, async () => {
      const entry = asObject(value, 'record');
      // LAVIS names the image as flickr30k-images/<id>.jpg, the entry name inside the official tar.
      return testRecord(place, relativePath(entry, 'image'), strList(entry, 'caption').map((c) => c.trim()), members);
    });
  }
}

async function* read(raw: RawAccess): AsyncGenerator<AdapterOutput> {
  if (!raw.exists(SOURCE, IMAGES_TAR)) throw new Error(`${SOURCE}: ${IMAGES_TAR} is missing from ${raw.root(SOURCE)}; run ingest for "${SOURCE}"`);
  const members = new Set(await raw.members(SOURCE, IMAGES_TAR));
  const karpathy = await openJsonStream(raw, SOURCE, { archive: KARPATHY_ZIP, member: KARPATHY_FILE });
  if (karpathy) {
    yield* readKarpathy(karpathy, members);
    return;
  }
  const lavis = await openJsonStream(raw, SOURCE, { member: LAVIS_FILE });
  if (!lavis) {
    throw new Error(`${SOURCE}: none of ${KARPATHY_ZIP}, ${KARPATHY_FILE}, ${LAVIS_FILE} is in ${raw.root(SOURCE)}; run ingest for "${SOURCE}"`);
  }
  yield* readLavis(lavis, members);
}

export const adapter: SourceAdapter = { spec, read };
