import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { createTrainingStream, type TrainingBatch } from '../../pipelines/stream/index.ts';
import { buildModel } from '../../trainer/train/build-model.ts';
import { ImageFeatures } from '../../trainer/train/image-features.ts';
import { readLmFolder } from '../../trainer/train/lm-folder.ts';
import { bertUncasedTokenizer } from '../../trainer/train/tokenizers.ts';
import { buildTrainFixture, type TrainFixture } from './fixture.ts';

const root = mkdtempSync(path.join(tmpdir(), 'image-features-'));
let fx: TrainFixture;
before(async () => {
  fx = await buildTrainFixture(root);
});
after(() => rmSync(root, { recursive: true, force: true }));

test('a stream that skips cached images feeds the trainer the same features as one that decodes every image', async () => {
  const lm = readLmFolder(fx.lmDir);
  const qformer = bertUncasedTokenizer();
  const model = buildModel(fx.config.model, lm, qformer.vocabSize);
  const streamOptions = {
    shardsDir: fx.shardsDir, manifestsDir: fx.manifestsDir, mixture: fx.config.mixture, tokenizers: { qformer, lm: lm.tokenizer },
    batchSize: 4, imageSize: fx.config.data.imageSize, limits: fx.config.data.limits, imageWorkers: 1, prefetch: 2,
  };
  const full = new ImageFeatures(model, true);
  const lean = new ImageFeatures(model, true);
  const decoding = await createTrainingStream(streamOptions);
  const skipping = await createTrainingStream({ ...streamOptions, skipImage: (key) => lean.has(key) });
  let omitted = 0;
  try {
    for (let n = 0; n < 12; n++) {
      const [a, b] = [await decoding.next(), await skipping.next()];
      omitted += b.omittedImages?.size ?? 0;
      const [fa, fb] = [full.forBatch(a), lean.forBatch(b)];
      assert.deepEqual(fb.dataSync(), fa.dataSync(), `batch ${n}`);
      fa.dispose();
      fb.dispose();
    }
  } finally {
    await Promise.all([decoding.close(), skipping.close()]);
  }
  assert.ok(omitted > 0, 'images seen before were skipped');

  const batch: TrainingBatch = { ...(await firstBatch(streamOptions)), omittedImages: new Set(['never-seen']) };
  batch.provenance[0] = { ...batch.provenance[0]!, images: ['never-seen'] };
  assert.throws(() => new ImageFeatures(model, true).forBatch(batch), /never-seen.*not in the cache/);
  model.params.dispose();
});

async function firstBatch(options: Parameters<typeof createTrainingStream>[0]): Promise<TrainingBatch> {
  const stream = await createTrainingStream(options);
  try {
    return await stream.next();
  } finally {
    await stream.close();
  }
}
