/**
 * iVQA's split CSVs (`train.csv`, `val.csv`, `test.csv`): a header row, then one question per row
 * with `video_id`, `question` and five annotators' `answer1` … `answer5` (what Just Ask's loader
 * reads), plus the clip's `start` and `end` seconds when present. Columns are found by header name.
 */
import { parse } from 'csv-parse/sync';

export const ANSWER_COLUMNS = ['answer1', 'answer2', 'answer3', 'answer4', 'answer5'];
const REQUIRED_COLUMNS = ['video_id', 'question', ...ANSWER_COLUMNS];

export type CsvRow = Record<string, string>;

/** Data rows keyed by header name. A missing column or unparsable CSV is an error for the whole file. */
export function parseIvqaCsv(text: string, label: string): CsvRow[] {
  let rows: string[][];
  try {
    // relax_column_count: a short row is one bad record (its cells read as missing), not a bad file
    rows = parse(text, { bom: true, skip_empty_lines: true, relax_column_count: true });
  } catch (err) {
    throw new Error(`ivqa: ${label} is not valid CSV (${(err as Error).message}); delete it and run ingest for "ivqa" again`);
  }
  const [header = [], ...data] = rows;
  const missing = REQUIRED_COLUMNS.filter((c) => !header.includes(c));
  if (missing.length > 0) {
    throw new Error(`ivqa: ${label} has no column ${missing.join(', ')} (header: ${header.join(',')}); it is not iVQA's CSV`);
  }
  return data.map((cells) => Object.fromEntries(header.map((name, i) => [name, cells[i] ?? ''])));
}
