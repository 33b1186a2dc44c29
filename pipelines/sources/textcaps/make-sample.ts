/**
 * The TextCaps sample mirror: TextCaps_0.1_{train,val}.json (one item per caption, five captions
 * per image), TextVQA_Rosetta_OCR_v0.2_{train,val}.json with the printed words as OCR tokens, and
 * train_val_images.zip with every image under train_images/ (TextVQA keeps val images there too).
 */
import path from 'node:path';
import { captionTokens } from '../../sample/captions.ts';
import { GLYPH_HEIGHT, textWidth } from '../../sample/font5x7.ts';
import { writeJson } from '../../sample/json-bytes.ts';
import { randomScene, renderScene, type Scene } from '../../sample/scene.ts';
import { writeZip, type ArchiveEntry } from '../../sample/zip-writer.ts';
import { hash32, rng } from '../../util/random.ts';
import type { SampleMaker } from '../types.ts';
import { signWords, textCaptions } from './sample-captions.ts';
import { captionsFile, IMAGES_ZIP, imageMember, ocrFile, SPLITS, type TextCapsSplit } from './spec.ts';

const IMAGES_PER_SPLIT: Record<TextCapsSplit, number> = { train: 16, val: 8 };
const CAPTIONS_PER_IMAGE = 5;
/** renderScene's defaults: 7 cells of 16 px. */
const SIZE = 112;
const TEXT_SCALE = 2;
const SHAPE_CLASS = { circle: 'Circle', square: 'Square', triangle: 'Triangle' } as const;

const hex = (n: number, digits: number) => n.toString(16).padStart(8, '0').slice(-digits);

/**
 * Where renderScene draws each printed line (centred lines of the 5x7 font at scale 2), as the
 * Rosetta file gives boxes: fractions of the image size.
 */
function ocrInfo(scene: Scene) {
  const lines = scene.text ?? [];
  const lineHeight = (GLYPH_HEIGHT + 2) * TEXT_SCALE;
  const top0 = Math.round(SIZE / 2 - (lines.length * lineHeight) / 2);
  return lines.map((word, i) => {
    const width = textWidth(word) * TEXT_SCALE;
    const round = (x: number) => Math.round((x / SIZE) * 1e4) / 1e4;
    return {
      word,
      bounding_box: {
        top_left_x: round((SIZE - width) / 2),
        top_left_y: round(top0 + i * lineHeight),
        width: round(width),
        height: round(GLYPH_HEIGHT * TEXT_SCALE),
        rotation: 0, roll: 0, pitch: 0, yaw: 0,
      },
    };
  });
}

function flickrUrls(seed: number, splitIndex: number, k: number) {
  const farm = 1 + (hash32(seed, splitIndex, k, 3) % 9);
  const server = 1000 + (hash32(seed, splitIndex, k, 4) % 8000);
  const photo = 1_000_000_000 + (hash32(seed, splitIndex, k, 5) % 3_000_000_000);
  return {
    flickr_original_url: `https://farm${farm}.staticflickr.com/${server}/${photo}_${hex(hash32(seed, splitIndex, k, 6), 8)}${hex(hash32(seed, splitIndex, k, 7), 2)}_o.jpg`,
    flickr_300k_url: `https://c${farm}.staticflickr.com/${farm}/${server}/${photo}_${hex(hash32(seed, splitIndex, k, 8), 8)}${hex(hash32(seed, splitIndex, k, 9), 2)}_z.jpg`,
  };
}

export const makeSample: SampleMaker = async (outDir, { scale, seed }) => {
  const images: ArchiveEntry[] = [];
  let captionId = 0;
  for (const [splitIndex, split] of SPLITS.entries()) {
    const next = rng(hash32(seed, 0x7e47ca95, splitIndex));
    const items: object[] = [];
    const ocr: object[] = [];
    for (let k = 0; k < IMAGES_PER_SPLIT[split] * scale; k++) {
      const imageId = `${hex(hash32(seed, splitIndex, k, 1), 8)}${hex(hash32(seed, splitIndex, k, 2), 8)}`;
      const scene = randomScene(next, signWords(next));
      images.push({ name: imageMember(imageId), data: await renderScene(scene) });
      const captions = textCaptions(scene, CAPTIONS_PER_IMAGE, next);
      const image = {
        image_id: imageId,
        image_classes: ['Poster', SHAPE_CLASS[scene.shape]],
        ...flickrUrls(seed, splitIndex, k),
        image_width: SIZE,
        image_height: SIZE,
        set_name: split,
        image_name: imageId,
        image_path: `train/${imageId}.jpg`,
      };
      for (const caption of captions) {
        items.push({
          ...image,
          caption_id: captionId++,
          caption_str: caption,
          caption_tokens: captionTokens(caption),
          reference_strs: captions,
          reference_tokens: captions.map(captionTokens),
        });
      }
      ocr.push({ image_id: imageId, ocr_tokens: scene.text ?? [], ocr_info: ocrInfo(scene) });
    }
    writeJson(path.join(outDir, captionsFile(split)), {
      dataset_type: split, dataset_name: 'textcaps', dataset_version: '0.1', data: items,
    });
    writeJson(path.join(outDir, ocrFile(split)), {
      dataset_type: split, dataset_name: 'textvqa', dataset_version: '0.2', data: ocr,
    });
  }
  await writeZip(path.join(outDir, IMAGES_ZIP), images);
};
