/**
 * TextCaps: one record per image with all of its reference captions as answers and the image's
 * Rosetta OCR tokens. The official file has one item per caption, so items are grouped by
 * image_id (in first-seen order); a bad caption item is quarantined on its own and the image keeps
 * its other captions.
 */
import type { RawAccess } from '../../raw/access.ts';
import { jsonMembers } from '../../util/json-stream.ts';
import { asObject, BadRecord, str } from '../common/fields.ts';
import { quarantined, sourceRecord } from '../common/source-record.ts';
import type { AdapterOutput, SourceAdapter } from '../types.ts';
import { loadOcr, type OcrIndex } from './ocr.ts';
import { captionsFile, IMAGES_ZIP, imageMember, ocrFile, spec, SPLITS, type TextCapsSplit } from './spec.ts';

const SOURCE = spec.source;
const DATASET = 'textcaps';

interface ImageCaptions {
  /** Position of the image's first caption item in the file. */
  sourceIndex: number;
  captions: string[];
}

/** Open Images ids are 16 hex digits; anything that is not a plain file stem could leave the archive folder. */
function imageIdOf(item: Record<string, unknown>): string {
  const id = str(item, 'image_id');
  if (!/^[A-Za-z0-9_-]+$/.test(id)) throw new BadRecord('unsafe-path', `"image_id" ${JSON.stringify(id)} is not a plain file name`);
  return id;
}

function requireFile(raw: RawAccess, file: string): void {
  if (!raw.exists(SOURCE, file)) {
    throw new Error(`${SOURCE}: ${file} is missing from ${raw.root(SOURCE)}; run ingest for "${SOURCE}"`);
  }
}

/** The image's OCR tokens, or why it has none usable. */
function ocrTokensOf(ocr: OcrIndex, imageId: string, file: string): string[] | BadRecord {
  const entry = ocr.byImage.get(imageId);
  if (entry) return entry;
  const unattributed = ocr.unattributed ? ` (${ocr.unattributed} entries there have no usable image_id)` : '';
  return new BadRecord('missing-ocr', `image ${imageId} has no entry in ${file}${unattributed}`);
}

async function* readSplit(raw: RawAccess, split: TextCapsSplit, members: Set<string>): AsyncGenerator<AdapterOutput> {
  const sourceFile = captionsFile(split);
  const place = (sourceIndex: number) => ({ dataset: DATASET, split, sourceFile, sourceIndex });
  const ocr = await loadOcr(raw, SOURCE, ocrFile(split));
  const images = new Map<string, ImageCaptions>();
  for await (const { key, value } of jsonMembers(raw.stream(SOURCE, sourceFile), ['data'], `${SOURCE}: ${sourceFile}`)) {
    const index = key as number;
    try {
      const item = asObject(value, 'caption item');
      const imageId = imageIdOf(item);
      const caption = str(item, 'caption_str');
      const image = images.get(imageId) ?? { sourceIndex: index, captions: [] };
      image.captions.push(caption);
      images.set(imageId, image);
    } catch (err) {
      if (!(err instanceof BadRecord)) throw err;
      yield quarantined(place(index), err);
    }
  }
  for (const [imageId, { sourceIndex, captions }] of images) {
    const member = imageMember(imageId);
    if (!members.has(member)) {
      yield quarantined(place(sourceIndex), new BadRecord('unknown-image', `${IMAGES_ZIP} has no entry ${member}`));
      continue;
    }
    const tokens = ocrTokensOf(ocr, imageId, ocrFile(split));
    if (tokens instanceof BadRecord) {
      yield quarantined(place(sourceIndex), tokens);
      continue;
    }
    yield sourceRecord({
      id: `${DATASET}/${split}/${imageId}`,
      dataset: DATASET,
      split,
      answers: captions,
      answerWeights: captions.map(() => 1),
      ocrTokens: tokens,
      sourceFile,
      sourceIndex,
      media: [{ kind: 'image', source: SOURCE, path: IMAGES_ZIP, member }],
    });
  }
}

export const adapter: SourceAdapter = {
  spec,
  async *read(raw) {
    for (const split of SPLITS) [captionsFile(split), ocrFile(split)].forEach((file) => requireFile(raw, file));
    requireFile(raw, IMAGES_ZIP);
    const members = new Set(await raw.members(SOURCE, IMAGES_ZIP));
    for (const split of SPLITS) yield* readSplit(raw, split, members);
  },
};
