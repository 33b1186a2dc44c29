/**
 * The Visual Dialog sample mirror: visdial_1.0_val.zip with visdial_1.0_val.json (shared question
 * and answer string tables, dialogs of ten rounds with 100 answer options each) and
 * VisualDialog_val2018.zip with the images.
 *
 * Planted leakage. In the real mixture Visual Dialog shares COCO images with held-in data; the
 * sample reproduces that so the leakage report has something to find. Visual Dialog val image ->
 * COCO sample image (pipelines/sources/coco/sample):
 *   185001 -> COCO 9      exact: the same JPEG bytes as train2014/COCO_train2014_000000000009.jpg
 *   185002 -> COCO 42     exact: the same JPEG bytes as val2014/COCO_val2014_000000000042.jpg
 *   185003 -> COCO 3514   near duplicate: train2014/COCO_train2014_000000003514.jpg re-encoded at quality 70
 *   185004 -> COCO 3055   near duplicate: train2014/COCO_train2014_000000003055.jpg resized to 128 x 128
 * Their dialogs are about the COCO scene. The two near duplicates are COCO images whose pHash
 * survives the change (distance 4 and 0 with media/encode-image.ts): on these flat synthetic
 * scenes many low DCT coefficients sit near their median, so most images' pHash moves by 10-30
 * bits under re-encoding or resizing. The other images are fresh scenes on visdial's own
 * background shade (sample-background.ts), so they match no COCO image byte for byte.
 */
import path from 'node:path';
import sharp from 'sharp';
import { jsonBytes } from '../../sample/json-bytes.ts';
import { randomScene, renderScene, type Scene } from '../../sample/scene.ts';
import { writeZip } from '../../sample/zip-writer.ts';
import { hash32, rng } from '../../util/random.ts';
import { cocoScene } from '../coco/scenes.ts';
import type { SampleMaker } from '../types.ts';
import { answerOptions, poolAnswer } from './answer-pool.ts';
import { sceneDialog, type DialogRound } from './dialogs.ts';
import { sampleBackground } from './sample-background.ts';
import { DIALOGS_FILE, DIALOGS_ZIP, IMAGES_ZIP, imageMember, OPTIONS } from './spec.ts';

export type PlantedKind = 'exact' | 'reencoded' | 'resized';

export interface PlantedOverlap {
  visdialImageId: number;
  cocoId: number;
  kind: PlantedKind;
}

/** The list in the header comment, for tests and the leakage report's checks. */
export const PLANTED_COCO_OVERLAPS: readonly PlantedOverlap[] = [
  { visdialImageId: 185001, cocoId: 9, kind: 'exact' },
  { visdialImageId: 185002, cocoId: 42, kind: 'exact' },
  { visdialImageId: 185003, cocoId: 3514, kind: 'reencoded' },
  { visdialImageId: 185004, cocoId: 3055, kind: 'resized' },
];

/** Fresh (non-COCO) dialogs at scale 1. */
const FRESH = 4;

export interface VisdialSampleDialog {
  imageId: number;
  scene: Scene;
  caption: string;
  rounds: (DialogRound & { options: string[]; gtIndex: number })[];
  planted?: PlantedOverlap;
}

function dialogFor(imageId: number, scene: Scene, seed: number, planted?: PlantedOverlap): VisdialSampleDialog {
  const next = rng(hash32(seed, 0xd1a, imageId));
  const { caption, rounds } = sceneDialog(scene, next);
  return {
    imageId, scene, caption, planted,
    rounds: rounds.map((round) => ({ ...round, ...answerOptions(poolAnswer(round.answer), OPTIONS, next) })),
  };
}

export function visdialSampleDialogs(scale: number, seed: number): VisdialSampleDialog[] {
  const planted = PLANTED_COCO_OVERLAPS.map((p) => dialogFor(p.visdialImageId, cocoScene(p.cocoId), seed, p));
  const fresh = Array.from({ length: FRESH * scale }, (_, k) => {
    const imageId = 185101 + k * 37;
    return dialogFor(imageId, randomScene(rng(hash32(seed, 0xd1b, k))), seed);
  });
  return [...planted, ...fresh];
}

/** The image bytes: COCO's own JPEG (exact), a re-encoding or resizing of it, or a fresh render. */
async function imageBytes(dialog: VisdialSampleDialog): Promise<Buffer> {
  if (!dialog.planted) return renderScene(dialog.scene, { background: sampleBackground('visdial') });
  // renderScene with its defaults is how the coco sample draws its images: the bytes are equal.
  const coco = await renderScene(dialog.scene);
  switch (dialog.planted.kind) {
    case 'exact': return coco;
    case 'reencoded': return sharp(coco).jpeg({ quality: 70 }).toBuffer();
    case 'resized': return sharp(coco).resize(128, 128).jpeg({ quality: 90 }).toBuffer();
  }
}

/** Index of each distinct string in first-seen order, as the shared tables of the val file. */
function stringTable(): { list: string[]; index: (s: string) => number } {
  const list: string[] = [];
  const at = new Map<string, number>();
  return {
    list,
    index: (s) => {
      let i = at.get(s);
      if (i === undefined) {
        i = list.length;
        list.push(s);
        at.set(s, i);
      }
      return i;
    },
  };
}

export const makeSample: SampleMaker = async (outDir, { scale, seed }) => {
  const dialogs = visdialSampleDialogs(scale, seed);
  const questions = stringTable();
  const answers = stringTable();
  const data = dialogs.map((d) => ({
    image_id: d.imageId,
    caption: d.caption,
    dialog: d.rounds.map((r) => ({
      answer: answers.index(r.answer),
      question: questions.index(r.question),
      answer_options: r.options.map(answers.index),
      gt_index: r.gtIndex,
    })),
  }));
  const file = { version: '1.0', split: 'val2018', data: { dialogs: data, answers: answers.list, questions: questions.list } };
  await writeZip(path.join(outDir, DIALOGS_ZIP), [{ name: DIALOGS_FILE, data: jsonBytes(file) }]);
  await writeZip(path.join(outDir, IMAGES_ZIP), await Promise.all(dialogs.map(async (d) => ({ name: imageMember(d.imageId), data: await imageBytes(d) }))));
};
