/**
 * The LLaVA sample mirror: conversation_58k.json, detail_23k.json and complex_reasoning_77k.json
 * about the COCO sample's train2014 images (named as LLaVA names them, by train2017 file name:
 * the same image ids). The images themselves are the coco source's.
 */
import path from 'node:path';
import { writeJson } from '../../sample/json-bytes.ts';
import type { Scene } from '../../sample/scene.ts';
import { hash32, rng } from '../../util/random.ts';
import type { ConversationTurn } from '../../record.ts';
import { cocoSampleImages, cocoScene } from '../coco/scenes.ts';
import type { SampleMaker } from '../types.ts';
import { conversation, detail, reasoning } from './sample-dialogs.ts';
import { SUBSET_FILES } from './spec.ts';

type Writer = (scene: Scene, next: () => number) => ConversationTurn[];

/** Records per subset at scale 1, out of the 48 train2014 sample images. */
const SUBSETS: Record<string, { records: number; write: Writer }> = {
  'llava-conversation': { records: 24, write: conversation },
  'llava-detail': { records: 16, write: detail },
  'llava-reasoning': { records: 24, write: reasoning },
};

export const makeSample: SampleMaker = async (outDir, { scale, seed }) => {
  const ids = cocoSampleImages(scale).filter((i) => i.folder === 'train2014').map((i) => i.id);
  for (const [n, { dataset, file }] of SUBSET_FILES.entries()) {
    const { records, write } = SUBSETS[dataset];
    const next = rng(hash32(seed, 0x11a7a, n));
    const pool = [...ids];
    const entries = [];
    for (let k = 0; k < records * scale; k++) {
      const id = pool.splice(Math.floor(next() * pool.length), 1)[0];
      const name = String(id).padStart(12, '0');
      entries.push({ id: name, image: `${name}.jpg`, conversations: write(cocoScene(id), next) });
    }
    writeJson(path.join(outDir, file), entries);
  }
};
