/**
 * Reads the QA files of MSVD-QA and MSRVTT-QA (one release by Xu et al. 2017, same layout), in
 * either layout, detected from what raw/<source> holds:
 * - official: `{train,val,test}_qa.json`, JSON arrays of {answer, id, question, video_id: int}
 *   (MSRVTT-QA adds category_id);
 * - LAVIS: `qa_{train,val,test}.json`, JSON arrays of {video: file name, question, answer, question_id}.
 * One record per question, with its one answer. Every split present is read; the catalog decides
 * which splits are evaluated.
 */
import type { RawAccess } from '../../raw/access.ts';
import type { AdapterOutput, MediaRef } from '../types.ts';
import { asObject, int, str, type JsonObject } from '../common/fields.ts';
import { readJsonInput } from '../common/json-input.ts';
import { guarded, sourceRecord } from '../common/source-record.ts';
import { answerVocabularyFile } from './answer-vocabulary.ts';

export const QA_SPLITS = ['train', 'val', 'test'] as const;
export const officialQaFile = (split: string) => `${split}_qa.json`;
export const lavisQaFile = (split: string) => `qa_${split}.json`;

export interface VideoQaSource {
  source: string;
  dataset: string;
  /** The video an official record's integer video_id names; throws BadRecord `unknown-video` when there is none. */
  videoById(videoId: number): MediaRef;
  /** The video a LAVIS record's file name names; same contract. */
  videoByName(name: string): MediaRef;
}

interface QaRecord {
  id: string | number;
  question: string;
  answer: string;
  video: MediaRef;
  meta: Record<string, unknown>;
}

/** question_id is an integer in the files seen so far; a string id is accepted as it is. */
function nativeId(obj: JsonObject, key: string): string | number {
  return typeof obj[key] === 'string' ? str(obj, key) : int(obj, key);
}

function officialRecord(obj: JsonObject, qa: VideoQaSource): QaRecord {
  const meta: Record<string, unknown> = { videoId: int(obj, 'video_id') };
  if (obj.category_id !== undefined) meta.categoryId = int(obj, 'category_id');
  return { id: int(obj, 'id'), question: str(obj, 'question'), answer: str(obj, 'answer'), video: qa.videoById(meta.videoId as number), meta };
}

function lavisRecord(obj: JsonObject, qa: VideoQaSource): QaRecord {
  const video = str(obj, 'video');
  return { id: nativeId(obj, 'question_id'), question: str(obj, 'question'), answer: str(obj, 'answer'), video: qa.videoByName(video), meta: { video } };
}

type Layout = { name: 'official' | 'LAVIS'; file: (split: string) => string; convert: (obj: JsonObject, qa: VideoQaSource) => QaRecord };

const LAYOUTS: Layout[] = [
  { name: 'official', file: officialQaFile, convert: officialRecord },
  { name: 'LAVIS', file: lavisQaFile, convert: lavisRecord },
];

function detectLayout(raw: RawAccess, source: string): Layout {
  const layout = LAYOUTS.find((l) => QA_SPLITS.some((split) => raw.exists(source, l.file(split))));
  if (!layout) {
    throw new Error(`${source}: raw/${source} has neither ${officialQaFile('{train,val,test}')} (official) nor `
      + `${lavisQaFile('{train,val,test}')} (LAVIS); run ingest for "${source}"`);
  }
  return layout;
}

export async function* readVideoQa(raw: RawAccess, qa: VideoQaSource): AsyncIterable<AdapterOutput> {
  const { source, dataset } = qa;
  const layout = detectLayout(raw, source);
  const vocabulary = await answerVocabularyFile(raw, source);
  for (const split of QA_SPLITS) {
    const input = await readJsonInput(raw, source, { member: layout.file(split) });
    if (!input) continue;
    if (!Array.isArray(input.value)) {
      throw new Error(`${source}: ${input.label} is not a JSON array of questions; delete it and run ingest for "${source}" again`);
    }
    for (const [sourceIndex, item] of input.value.entries()) {
      yield await guarded({ dataset, split, sourceFile: input.file, sourceIndex }, async () => {
        const r = layout.convert(asObject(item, `record ${sourceIndex}`), qa);
        return sourceRecord({
          id: `${dataset}/${split}/${r.id}`,
          dataset,
          split,
          sourceFile: input.file,
          sourceIndex,
          media: [r.video],
          question: r.question,
          answers: [r.answer],
          answerWeights: [1],
          meta: JSON.stringify(vocabulary ? { ...r.meta, answerVocabulary: vocabulary } : r.meta),
        });
      });
    }
  }
}
