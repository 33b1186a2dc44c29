/**
 * JSON Lines input (VSR's splits, Hateful Memes' annotation files): one JSON object per line,
 * blank lines ignored. Lines are streamed; a line that does not parse becomes a BadRecord in its
 * place, so the adapter quarantines that one record and goes on.
 */
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { BadRecord } from '../common/fields.ts';

export interface JsonLine {
  /** Position among the non-blank lines, from 0. */
  index: number;
  value: unknown;
}

export async function* jsonLines(input: Readable): AsyncGenerator<JsonLine> {
  let index = 0;
  for await (const line of createInterface({ input, crlfDelay: Infinity })) {
    if (line.trim() === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (err) {
      value = new BadRecord('bad-json', `line ${index + 1} is not valid JSON: ${(err as Error).message}`);
    }
    yield { index: index++, value };
  }
}
