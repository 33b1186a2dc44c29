/**
 * Hateful Memes dev: one record per meme, its text as `context` (the prompt quotes it) and its
 * label (1 hateful, 0 not). Reads hateful_memes.zip when it is present and readable, else the
 * extracted data/ folder.
 */
import type { Readable } from 'node:stream';
import type { RawAccess } from '../../raw/access.ts';
import { asObject, BadRecord, int, relativePath, str } from '../common/fields.ts';
import { guarded, sourceRecord, type RecordPlace } from '../common/source-record.ts';
import type { AdapterOutput, MediaRef, SourceAdapter } from '../types.ts';
import { jsonLines } from '../vsr/json-lines.ts';
import { dataPath, DEV_FILES, MEMES_ZIP, spec } from './spec.ts';

const SOURCE = spec.source;

/** Where the annotations and images are: entries of the zip, or files of the extracted folder. */
interface MemeFiles {
  sourceFile: string;
  annotations: Readable;
  image(rel: string): MediaRef | null;
}

async function fromZip(raw: RawAccess): Promise<MemeFiles> {
  let members: Set<string>;
  let devFile: string | undefined;
  let annotations: Readable;
  try {
    members = new Set(await raw.members(SOURCE, MEMES_ZIP));
    devFile = DEV_FILES.find((f) => members.has(f));
    if (!devFile) throw new Error(`it has neither ${DEV_FILES.join(' nor ')}`);
    annotations = await raw.streamMember(SOURCE, MEMES_ZIP, devFile);
  } catch (err) {
    throw new Error(`${SOURCE}: cannot read ${MEMES_ZIP} (${(err as Error).message}). The DrivenData zip is `
      + `password-protected: extract it with its password into ${raw.root(SOURCE)} (giving data/...) and remove the zip`);
  }
  return {
    sourceFile: MEMES_ZIP,
    annotations,
    image: (rel) => (members.has(dataPath(rel)) ? { kind: 'image', source: SOURCE, path: MEMES_ZIP, member: dataPath(rel) } : null),
  };
}

function fromFolder(raw: RawAccess): MemeFiles {
  const devFile = DEV_FILES.find((f) => raw.exists(SOURCE, f));
  if (!devFile) {
    throw new Error(`${SOURCE}: neither ${MEMES_ZIP} nor an extracted ${DEV_FILES.join(' or ')} is in ${raw.root(SOURCE)}; `
      + 'download the data from DrivenData (see the spec) and run ingest for "hateful-memes"');
  }
  return {
    sourceFile: devFile,
    annotations: raw.stream(SOURCE, devFile),
    image: (rel) => (raw.exists(SOURCE, dataPath(rel)) ? { kind: 'image', source: SOURCE, path: dataPath(rel) } : null),
  };
}

function memeRecord(files: MemeFiles, place: RecordPlace, value: unknown): AdapterOutput {
  if (value instanceof BadRecord) throw value;
  const line = asObject(value, 'line');
  const img = relativePath(line, 'img');
  const label = int(line, 'label');
  if (label !== 0 && label !== 1) throw new BadRecord('bad-value', `"label" is ${label}, expected 0 or 1`);
  const media = files.image(img);
  if (!media) throw new BadRecord('unknown-image', `"img" ${img} is not in ${files.sourceFile === MEMES_ZIP ? MEMES_ZIP : 'data/'}`);
  return sourceRecord({
    ...place,
    id: `hateful-memes/dev/${int(line, 'id')}`,
    context: str(line, 'text'),
    label,
    media: [media],
  });
}

async function* read(raw: RawAccess): AsyncGenerator<AdapterOutput> {
  const files = raw.exists(SOURCE, MEMES_ZIP) ? await fromZip(raw) : fromFolder(raw);
  for await (const { index, value } of jsonLines(files.annotations)) {
    const place: RecordPlace = { dataset: 'hateful-memes', split: 'dev', sourceFile: files.sourceFile, sourceIndex: index };
    yield await guarded(place, async () => memeRecord(files, place, value));
  }
}

export const adapter: SourceAdapter = { spec, read };
