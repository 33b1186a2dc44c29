/**
 * The `ivqa` source: iVQA questions with five answers on YouTube clips kept one file per clip.
 * spec.ts lists what is quarantined here and what at the media stage.
 */
import type { RawAccess } from '../../raw/access.ts';
import { answerShares } from '../common/answer-shares.ts';
import { BadRecord, str } from '../common/fields.ts';
import { guarded, sourceRecord } from '../common/source-record.ts';
import type { AdapterOutput, SourceAdapter } from '../types.ts';
import { ANSWER_COLUMNS, parseIvqaCsv, type CsvRow } from './csv-rows.ts';
import { csvFile, IVQA_SPLITS, spec } from './spec.ts';
import { IvqaVideos } from './video-folder.ts';

/** The clip's span in the YouTube video, as the CSV writes it, when the CSV has start/end columns. */
function clipSpan(row: CsvRow): { start: string; end: string } | null {
  if (!('start' in row) || !('end' in row)) return null;
  const [start, end] = [str(row, 'start'), str(row, 'end')];
  for (const [key, text] of [['start', start], ['end', end]]) {
    if (!(Number(text) >= 0)) throw new BadRecord('bad-type', `"${key}" is ${JSON.stringify(text)}, expected seconds`);
  }
  return { start, end };
}

async function* readSplit(raw: RawAccess, videos: IvqaVideos, split: string): AsyncIterable<AdapterOutput> {
  const file = csvFile(split);
  const rows = parseIvqaCsv(await raw.readText('ivqa', file), file);
  const asked = new Set<string>();
  for (const [sourceIndex, row] of rows.entries()) {
    yield await guarded({ dataset: 'ivqa', split, sourceFile: file, sourceIndex }, async () => {
      const videoId = str(row, 'video_id');
      const question = str(row, 'question');
      const answers = ANSWER_COLUMNS.map((column) => str(row, column));
      const span = clipSpan(row);
      const clip = span ? `${videoId}_${span.start}_${span.end}` : videoId;
      if (asked.has(clip)) throw new BadRecord('duplicate-id', `clip ${clip} already has a question earlier in ${file}`);
      asked.add(clip);
      return sourceRecord({
        id: `ivqa/${split}/${clip}`,
        dataset: 'ivqa',
        split,
        sourceFile: file,
        sourceIndex,
        media: [videos.find(videoId, span?.start, span?.end)],
        question,
        answers,
        answerWeights: answerShares(answers),
        meta: JSON.stringify(span ? { videoId, start: Number(span.start), end: Number(span.end) } : { videoId }),
      });
    });
  }
}

async function* read(raw: RawAccess): AsyncIterable<AdapterOutput> {
  const splits = IVQA_SPLITS.filter((split) => raw.exists('ivqa', csvFile(split)));
  if (splits.length === 0) throw new Error('ivqa: raw/ivqa has none of train.csv, val.csv, test.csv; run ingest for "ivqa"');
  const videos = IvqaVideos.index(raw);
  for (const split of splits) yield* readSplit(raw, videos, split);
}

export const adapter: SourceAdapter = { spec, read };
