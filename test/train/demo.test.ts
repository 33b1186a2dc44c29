import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { Tokenizer } from '@huggingface/tokenizers';
import { buildCaptionIndex, groundedDocuments } from '../../trainer/demo/grounding.ts';
import { evaluateRun, HELDIN_EVAL_FILE } from '../../trainer/demo/evaluate-run.ts';
import { shownImages } from '../../trainer/demo/heldin-eval.ts';
import { ensureStage0Lm, readStage0Report } from '../../trainer/demo/lm-stage.ts';
import { collectVocabulary } from '../../trainer/demo/vocabulary.ts';
import { WORD_SPECIAL_IDS, wordLevelTokenizer } from '../../trainer/demo/word-tokenizer.ts';
import type { TrainConfig } from '../../trainer/train/config.ts';
import { readLmFolder } from '../../trainer/train/lm-folder.ts';
import { bertUncasedTokenizer, lmTokenizerFrom } from '../../trainer/train/tokenizers.ts';
import { train } from '../../trainer/train/train.ts';
import { buildTrainFixture, TINY_LM_SHAPE, type TrainFixture } from './fixture.ts';

const root = mkdtempSync(path.join(tmpdir(), 'train-demo-'));
let fx: TrainFixture;
const quiet = () => undefined;
before(async () => {
  fx = await buildTrainFixture(root);
});
after(() => rmSync(root, { recursive: true, force: true }));

test('the word-level vocabulary covers every rendered example: nothing is <unk>', async () => {
  const dirs = { shardsDir: fx.shardsDir, manifestsDir: fx.manifestsDir };
  const files = wordLevelTokenizer(await collectVocabulary(dirs, fx.config.mixture.datasets, fx.config.mixture.seed, 3));
  const lm = lmTokenizerFrom(new Tokenizer(files.json, files.config), files.json, { bosId: WORD_SPECIAL_IDS.bos, eosId: WORD_SPECIAL_IDS.eos, padId: WORD_SPECIAL_IDS.pad });
  assert.equal(lm.splitsOnWhitespace, true);
  const captions = await buildCaptionIndex(dirs, fx.config.mixture.datasets, ['train']);
  const docs = await groundedDocuments({
    dirs, datasets: fx.config.mixture.datasets, split: 'train', epochs: 3, seed: fx.config.mixture.seed, captions,
    tokenizers: { qformer: bertUncasedTokenizer(), lm }, limits: { qformerInstruction: 64, lmInstruction: 64, target: 64 }, contextLimit: 64,
  });
  assert.equal(docs.length, 3 * (10 + 14));
  for (const d of docs) assert.ok(![...d.contextIds, ...d.lmIds].includes(WORD_SPECIAL_IDS.unk), `${d.recordId} has an unknown word`);
  const vqa = docs.filter((d) => d.dataset === 'vqav2');
  assert.ok(vqa.some((d) => d.contextIds.length > 0), 'VQA images that COCO captions describe get a caption as context');
  assert.ok(vqa.every((d) => d.references.length > 1), 'VQA references include the human answers');
  assert.equal(lm.decode(lm.encode('What IS it?')), 'what is it ?', 'lower-cased words, punctuation on its own');
});

test('stage 0 pretrains, checks text-only accuracy, writes an HF LM folder, and is cached by its config', async () => {
  const config: TrainConfig = {
    ...fx.config,
    model: { ...fx.config.model, lm: { stage0: { shape: TINY_LM_SHAPE, steps: 4, batchSize: 4, peakLr: 1e-3, warmupSteps: 1, epochs: 1, seed: 1 } } },
  };
  const cache = path.join(root, 'stage0-cache');
  const lines: string[] = [];
  const dir = await ensureStage0Lm((config.model.lm as { stage0: never }).stage0, config, (l) => lines.push(l), cache);
  const report = readStage0Report(dir)!;
  assert.equal(report.steps, 4);
  assert.ok(Number.isFinite(report.finalLoss));
  assert.ok('vqav2' in report.textOnly, 'checked on the datasets with a val split');
  const lm = readLmFolder(dir);
  assert.equal(lm.config.tieWordEmbeddings, true);
  assert.equal(lm.config.vocabSize, report.vocabSize);
  assert.ok(lines.some((l) => /text-only caption-in-context exact match/.test(l)));
  const again: string[] = [];
  assert.equal(await ensureStage0Lm((config.model.lm as { stage0: never }).stage0, config, (l) => again.push(l), cache), dir);
  assert.match(again.join('\n'), /cached LM/);
});

test('held-in evaluation of a run: own images against shuffled ones, written beside the run', async () => {
  const runDir = path.join(root, 'runs', 'tiny');
  await train({ config: { ...fx.config, train: { ...fx.config.train, steps: 2, validateEvery: 0 } }, runDir, resume: false, force: false, log: quiet });
  const result = await evaluateRun(runDir, fx.config, { examplesPerDataset: 5, log: quiet });
  assert.deepEqual(Object.keys(result.real), ['vqav2']);
  assert.equal(result.real.vqav2!.total, 5);
  assert.equal(result.shuffled.vqav2!.total, 5);
  assert.equal(result.step, 2);
  assert.ok(existsSync(path.join(runDir, HELDIN_EVAL_FILE)));
});

test('shuffled images never show an example its own image', () => {
  const docs = ['a', 'a', 'b', 'c', 'b'].map((k) => ({ images: [k] }) as never);
  const shown = shownImages(docs, 'shuffled');
  shown.forEach((k, i) => assert.notEqual(k, ['a', 'a', 'b', 'c', 'b'][i]));
  assert.deepEqual(shownImages(docs, 'real'), ['a', 'a', 'b', 'c', 'b']);
});
