/**
 * The Hateful Memes sample mirror: hateful_memes.zip laid out like the DrivenData download
 * (data/dev_seen.jsonl, data/img/<id>.png) but without its password.
 */
import path from 'node:path';
import { renderScene } from '../../sample/scene.ts';
import { writeZip } from '../../sample/zip-writer.ts';
import { hash32, rng } from '../../util/random.ts';
import type { SampleMaker } from '../types.ts';
import { sampleBackground } from '../visdial/sample-background.ts';
import { meme, type Meme } from './memes.ts';
import { dataPath, DEV_FILES, MEMES_ZIP } from './spec.ts';

const BACKGROUND = sampleBackground('hateful-memes');

export interface SampleMeme extends Meme {
  id: number;
}

/** 20 dev memes at scale 1, a third of them labelled 1. */
export function sampleMemes(scale: number, seed: number): SampleMeme[] {
  return Array.from({ length: 20 * scale }, (_, k) => ({
    id: 1000 + k * 3917 % 90000 + (hash32(seed, 0x4e3, k) % 7),
    ...meme(k % 3 === 1, rng(hash32(seed, 0x4e3, k, 1))),
  }));
}

export const imageName = (id: number) => `img/${String(id).padStart(5, '0')}.png`;

export const makeSample: SampleMaker = async (outDir, { scale, seed }) => {
  const memes = sampleMemes(scale, seed);
  const jsonl = memes.map((m) => JSON.stringify({ id: m.id, img: imageName(m.id), label: m.label, text: m.text })).join('\n');
  await writeZip(path.join(outDir, MEMES_ZIP), [
    { name: DEV_FILES[0], data: Buffer.from(`${jsonl}\n`) },
    ...await Promise.all(memes.map(async (m) => ({ name: dataPath(imageName(m.id)), data: await renderScene(m.scene, { format: 'png', background: BACKGROUND }) }))),
  ]);
};
