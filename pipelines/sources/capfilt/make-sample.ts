/**
 * The CapFilt sample mirror: ccs_synthetic_filtered_large.json ([{url, caption}], BLIP's layout)
 * and each image under urls/<host>/<path> of its URL. Captions are short and lower-case like
 * BLIP's synthetic ones; the URLs imitate the three image sources (CC3M, CC12M, SBU).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { urlMirrorPath } from '../../fetch/mirror-locations.ts';
import { captionVariants } from '../../sample/captions.ts';
import { writeJson } from '../../sample/json-bytes.ts';
import { randomScene, renderScene } from '../../sample/scene.ts';
import { hash32, pick, rng } from '../../util/random.ts';
import type { SampleMaker } from '../types.ts';
import { BLIP_FILE } from './spec.ts';

const ENTRIES = 24;
/** Web photos vary; the shapes stay on the grid and every background stays dark. */
const BACKGROUNDS = [[24, 24, 32], [40, 28, 28], [22, 40, 38], [36, 36, 36]] as const;
const PHOTO_WORDS = ['abstract', 'shapes', 'pattern', 'design', 'graphic', 'icon', 'background'];

function webUrl(next: () => number, seed: number, k: number): string {
  const h = (salt: number) => hash32(seed, 0xcafe, k, salt);
  const hex = (n: number) => n.toString(16).padStart(8, '0');
  switch (k % 3) {
    case 0: return `http://static.flickr.com/${1000 + (h(1) % 4000)}/${h(2)}_${hex(h(3)).slice(0, 10)}.jpg`;
    case 1: return `https://i.pinimg.com/736x/${hex(h(1)).slice(0, 2)}/${hex(h(1)).slice(2, 4)}/${hex(h(1)).slice(4, 6)}/${hex(h(2))}${hex(h(3))}.jpg`;
    default: return `https://thumb1.shutterstock.com/display_pic_with_logo/${h(1) % 1000}/${h(2) % 100000}/stock-photo-${pick(next, PHOTO_WORDS)}-${pick(next, PHOTO_WORDS)}-${h(3) % 1_000_000_000}.jpg`;
  }
}

export const makeSample: SampleMaker = async (outDir, { scale, seed }) => {
  const next = rng(hash32(seed, 0xcaf11e));
  const entries: { url: string; caption: string }[] = [];
  for (let k = 0; k < ENTRIES * scale; k++) {
    const scene = randomScene(next);
    const url = webUrl(next, seed, k);
    const image = await renderScene(scene, { background: pick(next, BACKGROUNDS) });
    const file = path.join(outDir, urlMirrorPath(url));
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, image);
    const variants = captionVariants(scene, (n) => Math.floor(next() * n));
    entries.push({ url, caption: pick(next, variants) });
  }
  writeJson(path.join(outDir, BLIP_FILE), entries);
};
