/**
 * OCR-VQA: one record per (book, question). Reads dataset.json, or LAVIS's ocrvqa.json (the same
 * dict) when only that is present. Covers come from the URL list; a book whose cover was not
 * fetched (dead Amazon link) has all its questions quarantined as `image-not-fetched`.
 */
import type { RawAccess } from '../../raw/access.ts';
import { jsonMembers } from '../../util/json-stream.ts';
import { BadRecord } from '../common/fields.ts';
import { quarantined, sourceRecord } from '../common/source-record.ts';
import type { AdapterOutput, SourceAdapter, UrlListEntry } from '../types.ts';
import { parseBook, type Book } from './book.ts';
import { LAVIS_FILE, OFFICIAL_FILE, spec, SPLIT_CODES } from './spec.ts';

const SOURCE = spec.source;
const DATASET = 'ocrvqa';

/** The annotation file present: the official one first. */
export function annotationFile(raw: RawAccess): string {
  for (const file of [OFFICIAL_FILE, LAVIS_FILE]) if (raw.exists(SOURCE, file)) return file;
  throw new Error(`${SOURCE}: neither ${OFFICIAL_FILE} nor ${LAVIS_FILE} is in ${raw.root(SOURCE)}; run ingest for "${SOURCE}"`);
}

/** The split a bad entry belongs to, when its split code is still readable; train otherwise (most books are). */
function splitOf(value: unknown): string {
  const code = (value as { split?: unknown } | null)?.split;
  return (typeof code === 'number' && SPLIT_CODES[code]) || 'train';
}

type Entry = { book: Book; index: number } | { problem: BadRecord; split: string; index: number };

async function* entries(raw: RawAccess, file: string): AsyncGenerator<Entry> {
  let index = 0;
  for await (const { key, value } of jsonMembers(raw.stream(SOURCE, file), [], `${SOURCE}: ${file}`)) {
    try {
      yield { book: parseBook(String(key), value), index };
    } catch (err) {
      if (!(err instanceof BadRecord)) throw err;
      yield { problem: err, split: splitOf(value), index };
    }
    index++;
  }
}

function* bookRecords(book: Book, sourceFile: string, sourceIndex: number, fetched: boolean): Generator<AdapterOutput> {
  const place = { dataset: DATASET, split: book.split, sourceFile, sourceIndex };
  for (const [q, question] of book.questions.entries()) {
    if (!fetched) {
      yield quarantined(place, new BadRecord('image-not-fetched',
        `question ${q}: the cover ${book.imagePath} was not fetched from ${book.imageUrl} (see the URL-list status of ingest)`));
      continue;
    }
    yield sourceRecord({
      id: `${DATASET}/${book.split}/${book.key}-${q}`,
      dataset: DATASET,
      split: book.split,
      question,
      answers: [book.answers[q]],
      answerWeights: [1],
      meta: JSON.stringify(book.meta),
      sourceFile,
      sourceIndex,
      media: [{ kind: 'image', source: SOURCE, path: book.imagePath }],
    });
  }
}

export const adapter: SourceAdapter = {
  spec,
  async *read(raw) {
    const file = annotationFile(raw);
    for await (const entry of entries(raw, file)) {
      if ('problem' in entry) {
        yield quarantined({ dataset: DATASET, split: entry.split, sourceFile: file, sourceIndex: entry.index }, entry.problem);
        continue;
      }
      yield* bookRecords(entry.book, file, entry.index, raw.exists(SOURCE, entry.book.imagePath));
    }
  },
  /** Every cover of a well-formed entry; read() quarantines the others, so nothing is lost unseen. */
  async *urlList(raw): AsyncGenerator<UrlListEntry> {
    for await (const entry of entries(raw, annotationFile(raw))) {
      if ('book' in entry) yield { url: entry.book.imageUrl, path: entry.book.imagePath };
    }
  },
};
