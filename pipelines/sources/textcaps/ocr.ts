/**
 * The Rosetta OCR tokens of TextVQA (`TextVQA_Rosetta_OCR_v0.2_<split>.json`), by image id. TextCaps
 * gives them to the model as "OCR tokens: ..." after the image (InstructBLIP Table 5).
 */
import type { RawAccess } from '../../raw/access.ts';
import { jsonMembers } from '../../util/json-stream.ts';
import { asObject, BadRecord, str } from '../common/fields.ts';

export interface OcrIndex {
  /** Tokens in reading order, or why the image's entry is unusable. */
  byImage: Map<string, string[] | BadRecord>;
  /** Entries with no usable image_id: they belong to no image, so they are reported with the images that lack OCR. */
  unattributed: number;
}

function tokensOf(entry: Record<string, unknown>): string[] {
  const tokens = entry.ocr_tokens;
  if (tokens === undefined || tokens === null) throw new BadRecord('missing-field', 'OCR entry has no "ocr_tokens"');
  if (!Array.isArray(tokens)) throw new BadRecord('bad-type', `OCR "ocr_tokens" is ${typeof tokens}, expected an array`);
  tokens.forEach((t, i) => {
    if (typeof t !== 'string') throw new BadRecord('bad-type', `OCR "ocr_tokens"[${i}] is ${typeof t}, expected a string`);
  });
  // Images without any text have an empty list: a valid entry.
  return tokens as string[];
}

export async function loadOcr(raw: RawAccess, source: string, file: string): Promise<OcrIndex> {
  const index: OcrIndex = { byImage: new Map(), unattributed: 0 };
  for await (const { value } of jsonMembers(raw.stream(source, file), ['data'], `${source}: ${file}`)) {
    let imageId: string;
    try {
      imageId = str(asObject(value, 'OCR entry'), 'image_id');
    } catch {
      index.unattributed++;
      continue;
    }
    try {
      index.byImage.set(imageId, tokensOf(value as Record<string, unknown>));
    } catch (err) {
      if (!(err instanceof BadRecord)) throw err;
      index.byImage.set(imageId, err);
    }
  }
  return index;
}
