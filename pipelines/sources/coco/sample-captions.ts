/**
 * The caption side of the COCO sample: about five true captions per image, the Karpathy split
 * file (dataset_coco.json) and the official COCO captions files, all from the same captions.
 */
import { captionTokens, sceneCaptions } from '../../sample/captions.ts';
import { hash32, rng } from '../../util/random.ts';
import { cocoScene, type CocoFolder, type CocoImage } from './scenes.ts';

export type KarpathySplit = 'train' | 'restval' | 'val' | 'test';

/** Side of every sample image, as renderScene draws it by default (7 cells of 16 px). */
export const SAMPLE_IMAGE_SIZE = 112;

export interface CaptionedImage {
  image: CocoImage;
  karpathySplit: KarpathySplit;
  captions: string[];
}

/**
 * Karpathy's split takes val and test (5,000 each) and restval from val2014 and keeps all of
 * train2014 as train; the sample deals val2014 images out to val, test and restval in turn.
 */
function karpathySplit(image: CocoImage, indexInFolder: number): KarpathySplit {
  if (image.folder === 'train2014') return 'train';
  return (['val', 'test', 'restval'] as const)[indexInFolder % 3];
}

/** Five captions per image, six for about one image in seven, as in COCO (25,010 for 5,000 images). */
export function captionImages(images: CocoImage[], seed: number): CaptionedImage[] {
  const seen: Record<CocoFolder, number> = { train2014: 0, val2014: 0 };
  return images.map((image) => {
    const next = rng(hash32(seed, 0xca9, image.id));
    const n = hash32(seed, 0x5e7, image.id) % 7 === 0 ? 6 : 5;
    return { image, karpathySplit: karpathySplit(image, seen[image.folder]++), captions: sceneCaptions(cocoScene(image.id), n, next) };
  });
}

/** dataset_coco.json: `{images: [...], dataset: "coco"}` with Karpathy's per-image fields. */
export function karpathyJson(captioned: CaptionedImage[]): unknown {
  let sentid = 0;
  const images = captioned.map(({ image, karpathySplit: split, captions }, imgid) => {
    const sentids = captions.map(() => sentid++);
    return {
      filepath: image.folder,
      sentids,
      filename: image.fileName,
      imgid,
      split,
      sentences: captions.map((raw, k) => ({ tokens: captionTokens(raw), raw, imgid, sentid: sentids[k] })),
      cocoid: image.id,
    };
  });
  return { images, dataset: 'coco' };
}

const LICENSES = [
  { url: 'http://creativecommons.org/licenses/by-nc-sa/2.0/', id: 1, name: 'Attribution-NonCommercial-ShareAlike License' },
  { url: 'http://creativecommons.org/licenses/by/2.0/', id: 4, name: 'Attribution License' },
];

/** annotations/captions_<folder>.json in the official COCO captions format. */
export function cocoCaptionsJson(captioned: CaptionedImage[], folder: CocoFolder): unknown {
  const mine = captioned.filter((c) => c.image.folder === folder);
  let annotationId = 0;
  return {
    info: {
      description: 'This is stable 1.0 version of the 2014 MS COCO dataset.',
      url: 'http://mscoco.org',
      version: '1.0',
      year: 2014,
      contributor: 'Microsoft COCO group',
      date_created: '2015-01-27 09:11:52.357475',
    },
    images: mine.map(({ image }) => ({
      license: LICENSES[image.id % LICENSES.length].id,
      url: `http://mscoco.org/images/${image.id}`,
      file_name: image.fileName,
      height: SAMPLE_IMAGE_SIZE,
      width: SAMPLE_IMAGE_SIZE,
      date_captured: '2013-11-14 11:18:45',
      id: image.id,
    })),
    licenses: LICENSES,
    annotations: mine.flatMap(({ image, captions }) => captions.map((caption) => {
      annotationId += 1;
      return { image_id: image.id, id: 37 + annotationId * 7, caption };
    })),
  };
}
