/**
 * The Flickr30K sample mirror: caption_datasets.zip with Karpathy's dataset_flickr30k.json (train,
 * val and test images, five sentences each), LAVIS's flickr30k_test.json with the same test
 * captions, and flickr30k-images.tar with every image as flickr30k-images/<id>.jpg.
 */
import path from 'node:path';
import { captionTokens, sceneCaptions } from '../../sample/captions.ts';
import { jsonBytes, writeJson } from '../../sample/json-bytes.ts';
import { randomScene, renderScene, type Scene } from '../../sample/scene.ts';
import { writeZip } from '../../sample/zip-writer.ts';
import { hash32, rng } from '../../util/random.ts';
import type { SampleMaker } from '../types.ts';
import { sampleBackground } from '../visdial/sample-background.ts';
import { IMAGES_TAR, imageMember, KARPATHY_FILE, KARPATHY_ZIP, LAVIS_FILE } from './spec.ts';
import { writeTar } from '../../sample/tar-writer.ts';

const BACKGROUND = sampleBackground('flickr30k');

/** Per 26 images: 4 train and 2 val (skipped by the adapter, as in the real file) and 20 test. */
const SPLIT_SIZES = { train: 4, val: 2, test: 20 } as const;

export interface FlickrSampleImage {
  fileName: string;
  split: keyof typeof SPLIT_SIZES;
  scene: Scene;
  captions: string[];
}

export function flickrSampleImages(scale: number, seed: number): FlickrSampleImage[] {
  const images: FlickrSampleImage[] = [];
  for (const [split, size] of Object.entries(SPLIT_SIZES) as [FlickrSampleImage['split'], number][]) {
    for (let k = 0; k < size * scale; k++) {
      const next = rng(hash32(seed, 0xf1c, images.length));
      const scene = randomScene(next);
      images.push({ fileName: `${1_000_000_000 + (hash32(seed, 0xf1c, images.length, 1) % 3_000_000_000)}.jpg`, split, scene, captions: sceneCaptions(scene, 5, next) });
    }
  }
  return images;
}

export const makeSample: SampleMaker = async (outDir, { scale, seed }) => {
  const images = flickrSampleImages(scale, seed);
  let sentid = 0;
  const karpathy = {
    images: images.map((image, imgid) => {
      const sentences = image.captions.map((raw) => ({ tokens: captionTokens(raw), raw, imgid, sentid: sentid++ }));
      return { sentids: sentences.map((s) => s.sentid), imgid, sentences, split: image.split, filename: image.fileName };
    }),
    dataset: 'flickr30k',
  };
  await writeZip(path.join(outDir, KARPATHY_ZIP), [{ name: KARPATHY_FILE, data: jsonBytes(karpathy) }]);
  writeJson(path.join(outDir, LAVIS_FILE), images.filter((i) => i.split === 'test').map((i) => ({ image: imageMember(i.fileName), caption: i.captions })));
  await writeTar(path.join(outDir, IMAGES_TAR), await Promise.all(images.map(async (i) => ({ name: imageMember(i.fileName), data: await renderScene(i.scene, { background: BACKGROUND }) }))));
};
