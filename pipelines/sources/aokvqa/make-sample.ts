/**
 * The A-OKVQA sample mirror: aokvqa_v1p0.tar.gz holding aokvqa_v1p0_{train,val,test}.json (a JSON
 * array of records with the official fields) and large_vocab_train.csv. Train and val ask about
 * the COCO sample images (A-OKVQA names COCO 2017 images by id; the ids are the same pictures);
 * test records have no answers or rationales and name images outside the sample, as the real
 * test split uses test2017 images.
 */
import path from 'node:path';
import { humanAnswers } from '../../sample/human-answers.ts';
import { jsonBytes } from '../../sample/json-bytes.ts';
import { writeTarGz } from '../../sample/targz-writer.ts';
import { hash32, rng } from '../../util/random.ts';
import { cocoSampleSubset } from '../coco/sample-subset.ts';
import { cocoScene } from '../coco/scenes.ts';
import type { SampleMaker } from '../types.ts';
import { AOKVQA_TARBALL, splitFile } from './files.ts';
import { commonSenseQuestion, shortUuid } from './sample-questions.ts';

/** Questions per split at scale 1, one per image. */
const QUESTIONS = { train: 40, val: 16, test: 8 } as const;

function answeredRecords(split: 'train' | 'val', scale: number, seed: number): Record<string, unknown>[] {
  const folder = split === 'train' ? 'train2014' : 'val2014';
  return cocoSampleSubset(folder, QUESTIONS[split], scale, 7).map((image, j) => {
    const next = rng(hash32(seed, 0xa0c, image.id));
    const q = commonSenseQuestion(cocoScene(image.id), j + hash32(seed, 0xa0d, image.id), next);
    const direct = humanAnswers(q.choices[q.correct], q.nearMisses, next).map((a) => a.answer);
    return {
      split,
      image_id: image.id,
      question_id: shortUuid(next),
      question: q.question,
      choices: q.choices,
      correct_choice_idx: q.correct,
      direct_answers: direct,
      difficult_direct_answer: new Set(direct).size > 2,
      rationales: q.rationales,
    };
  });
}

/** Test questions about images outside the sample, without answers, as the real test split has them. */
function testRecords(scale: number, seed: number): Record<string, unknown>[] {
  return Array.from({ length: QUESTIONS.test * scale }, (_, k) => {
    const next = rng(hash32(seed, 0xa0e, k));
    const imageId = 900000 + k * 37;
    const q = commonSenseQuestion(cocoScene(imageId), k, next);
    return { split: 'test', image_id: imageId, question_id: shortUuid(next), question: q.question, choices: q.choices, difficult_direct_answer: false };
  });
}

export const makeSample: SampleMaker = async (outDir, { scale, seed }) => {
  const train = answeredRecords('train', scale, seed);
  const val = answeredRecords('val', scale, seed);
  const vocab = [...new Set(train.flatMap((r) => r.direct_answers as string[]))].sort();
  await writeTarGz(path.join(outDir, AOKVQA_TARBALL), [
    { name: splitFile('train'), data: jsonBytes(train) },
    { name: splitFile('val'), data: jsonBytes(val) },
    { name: splitFile('test'), data: jsonBytes(testRecords(scale, seed)) },
    { name: 'large_vocab_train.csv', data: Buffer.from(`${vocab.join('\n')}\n`) },
  ]);
};
