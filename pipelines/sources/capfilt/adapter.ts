/**
 * Web CapFilt: one record per caption entry, train only. The BLIP file is streamed (it has
 * millions of entries). Its images come from the URL list; an entry whose image was not fetched is
 * quarantined as `image-not-fetched`, a LAVIS entry whose local image is absent as `unknown-image`.
 */
import type { RawAccess } from '../../raw/access.ts';
import { jsonMembers } from '../../util/json-stream.ts';
import { BadRecord } from '../common/fields.ts';
import { quarantined, sourceRecord } from '../common/source-record.ts';
import type { AdapterOutput, SourceAdapter, UrlListEntry } from '../types.ts';
import { layoutOf, parseEntry, type CaptionEntry, type Layout } from './caption-entry.ts';
import { BLIP_FILE, LAVIS_FILE, spec } from './spec.ts';

const SOURCE = spec.source;
const DATASET = 'web-capfilt';
const SPLIT = 'train';

function annotationFile(raw: RawAccess): string {
  for (const file of [BLIP_FILE, LAVIS_FILE]) if (raw.exists(SOURCE, file)) return file;
  throw new Error(`${SOURCE}: neither ${BLIP_FILE} nor ${LAVIS_FILE} is in ${raw.root(SOURCE)}; run ingest for "${SOURCE}"`);
}

type Entry = { entry: CaptionEntry; index: number } | { problem: BadRecord; index: number };

/** Every entry of the file, checked against the layout the first entry with `url` or `image` shows. */
async function* entries(raw: RawAccess, file: string): AsyncGenerator<Entry> {
  let layout: Layout | null = null;
  for await (const { key, value } of jsonMembers(raw.stream(SOURCE, file), [], `${SOURCE}: ${file}`)) {
    const index = key as number;
    layout ??= layoutOf(value);
    try {
      if (!layout) throw new BadRecord('missing-field', 'entry has neither "url" (BLIP layout) nor "image" (LAVIS layout)');
      yield { entry: parseEntry(layout, value), index };
    } catch (err) {
      if (!(err instanceof BadRecord)) throw err;
      yield { problem: err, index };
    }
  }
}

function output(raw: RawAccess, entry: CaptionEntry, sourceFile: string, sourceIndex: number): AdapterOutput {
  const place = { dataset: DATASET, split: SPLIT, sourceFile, sourceIndex };
  if (!raw.exists(SOURCE, entry.imagePath)) {
    return quarantined(place, entry.url
      ? new BadRecord('image-not-fetched', `${entry.imagePath} was not fetched from ${entry.url} (see the URL-list status of ingest)`)
      : new BadRecord('unknown-image', `"image" ${entry.imagePath} is not in the source folder`));
  }
  return sourceRecord({
    id: `${DATASET}/${SPLIT}/${sourceIndex}`,
    dataset: DATASET,
    split: SPLIT,
    answers: [entry.caption],
    answerWeights: [1],
    meta: entry.url ? JSON.stringify({ url: entry.url }) : null,
    sourceFile,
    sourceIndex,
    media: [{ kind: 'image', source: SOURCE, path: entry.imagePath }],
  });
}

export const adapter: SourceAdapter = {
  spec,
  async *read(raw) {
    const file = annotationFile(raw);
    for await (const item of entries(raw, file)) {
      yield 'problem' in item
        ? quarantined({ dataset: DATASET, split: SPLIT, sourceFile: file, sourceIndex: item.index }, item.problem)
        : output(raw, item.entry, file, item.index);
    }
  },
  /** BLIP entries' images; LAVIS entries name local files, so there is nothing to fetch. */
  async *urlList(raw): AsyncGenerator<UrlListEntry> {
    for await (const item of entries(raw, annotationFile(raw))) {
      if ('entry' in item && item.entry.url) yield { url: item.entry.url, path: item.entry.imagePath };
    }
  },
};
