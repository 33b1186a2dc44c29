/**
 * The NoCaps sample mirror: nocaps_val_4500_captions.json (COCO-style, ten captions per image, the
 * domain on each image) and the photos under urls/<host>/<path> of their coco_url, where a mirror
 * keeps URL-list images; ingest copies them to val/<file>.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { urlMirrorPath } from '../../fetch/mirror-locations.ts';
import { writeJson } from '../../sample/json-bytes.ts';
import { randomScene, renderScene, type Scene } from '../../sample/scene.ts';
import { hash32, rng } from '../../util/random.ts';
import type { SampleMaker } from '../types.ts';
import { sampleBackground } from '../visdial/sample-background.ts';
import { distinctCaptions } from './captions.ts';
import { CAPTIONS_FILE } from './spec.ts';

const BACKGROUND = sampleBackground('nocaps');

export const NOCAPS_DOMAINS = ['in-domain', 'near-domain', 'out-domain'] as const;
/** Per 15 images, about the real proportions (648 / 2,938 / 914 of 4,500). */
const DOMAIN_CYCLE = [1, 0, 1, 2, 1, 1, 0, 1, 2, 1, 1, 0, 1, 2, 1] as const;

export interface NocapsSampleImage {
  id: number;
  openImagesId: string;
  domain: (typeof NOCAPS_DOMAINS)[number];
  scene: Scene;
  captions: string[];
}

const hex8 = (n: number) => n.toString(16).padStart(8, '0');
export const nocapsImageUrl = (openImagesId: string) => `https://s3.amazonaws.com/nocaps/val/${openImagesId}.jpg`;

export function nocapsSampleImages(scale: number, seed: number): NocapsSampleImage[] {
  return Array.from({ length: 15 * scale }, (_, id) => {
    const next = rng(hash32(seed, 0x0ca95, id));
    const scene = randomScene(next);
    return {
      id,
      openImagesId: `${hex8(hash32(seed, 0x0ca95, id, 1))}${hex8(hash32(seed, 0x0ca95, id, 2))}`,
      domain: NOCAPS_DOMAINS[DOMAIN_CYCLE[id % DOMAIN_CYCLE.length]],
      scene,
      captions: distinctCaptions(scene, 10, next),
    };
  });
}

export const makeSample: SampleMaker = async (outDir, { scale, seed }) => {
  const images = nocapsSampleImages(scale, seed);
  let annotationId = 0;
  writeJson(path.join(outDir, CAPTIONS_FILE), {
    licenses: [{ url: 'https://creativecommons.org/licenses/by/2.0/', id: 0, name: 'Attribution License' }],
    info: { url: 'https://nocaps.org', date_created: '2018/11/06', version: '0.1', description: 'nocaps validation dataset', contributor: 'nocaps team', year: 2018 },
    images: images.map((image) => ({
      id: image.id,
      open_images_id: image.openImagesId,
      height: 112,
      width: 112,
      coco_url: nocapsImageUrl(image.openImagesId),
      file_name: `${image.openImagesId}.jpg`,
      license: 0,
      date_captured: '2018-11-06 11:04:33',
      domain: image.domain,
    })),
    annotations: images.flatMap((image) => image.captions.map((caption) => ({ image_id: image.id, id: annotationId++, caption }))),
  });
  for (const image of images) {
    const file = path.join(outDir, urlMirrorPath(nocapsImageUrl(image.openImagesId)));
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, await renderScene(image.scene, { background: BACKGROUND }));
  }
};
