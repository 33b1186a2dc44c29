/**
 * The OCR-VQA sample mirror: dataset.json in the official layout, and each cover under
 * urls/<host>/<path> of its imageURL, where ingest's URL-list fetch finds it on a mirror.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { urlMirrorPath } from '../../fetch/mirror-locations.ts';
import { writeJson } from '../../sample/json-bytes.ts';
import { randomScene, renderScene } from '../../sample/scene.ts';
import { hash32, rng } from '../../util/random.ts';
import type { SampleMaker } from '../types.ts';
import { sampleBook } from './sample-books.ts';
import { OFFICIAL_FILE } from './spec.ts';

/** Books per split code (1 train, 2 val, 3 test) at scale 1; five questions each. */
const BOOKS: [code: number, count: number][] = [[1, 8], [2, 4], [3, 4]];
const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** Amazon image names look like 61Y5cOdHJbL.jpg; a few covers are PNGs. */
function coverUrl(next: () => number, png: boolean): string {
  let name = '';
  for (let i = 0; i < 10; i++) name += BASE62[Math.floor(next() * BASE62.length)];
  return `http://ecx.images-amazon.com/images/I/${name}L.${png ? 'png' : 'jpg'}`;
}

export const makeSample: SampleMaker = async (outDir, { scale, seed }) => {
  const next = rng(hash32(seed, 0x0c7a9a));
  const dict: Record<string, object> = {};
  let n = 0;
  for (const [code, count] of BOOKS) {
    for (let k = 0; k < count * scale; k++, n++) {
      // Book ids are ISBN-like numbers; the real dict drops leading zeros (e.g. "761183272").
      const key = String(hash32(seed, 0xb00c, n));
      if (key in dict) throw new Error(`ocrvqa sample: book id ${key} drawn twice; choose another seed`);
      // Text on the cover keeps the shapes at the top or bottom; the words are the book's own.
      const scene = randomScene(next, []);
      const book = sampleBook(scene.color, next);
      const png = n % 8 === 7;
      const imageURL = coverUrl(next, png);
      const cover = await renderScene({ ...scene, text: [book.title.toUpperCase(), book.authorName.toUpperCase()] }, { format: png ? 'png' : 'jpeg' });
      const file = path.join(outDir, urlMirrorPath(imageURL));
      mkdirSync(path.dirname(file), { recursive: true });
      writeFileSync(file, cover);
      dict[key] = {
        imageURL, questions: book.questions, answers: book.answers,
        title: book.title, authorName: book.authorName, genre: book.genre, split: code,
      };
    }
  }
  writeJson(path.join(outDir, OFFICIAL_FILE), dict);
};
