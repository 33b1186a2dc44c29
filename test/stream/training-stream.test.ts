import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { CATALOG } from '../../pipelines/catalog.ts';
import { loadTemplateLibrary, renderForTraining } from '../../pipelines/format/index.ts';
import { buildMixturePlan, parseMixtureConfig, type MixtureConfig } from '../../pipelines/mixture/index.ts';
import { CLIP_MEAN, CLIP_STD, createTrainingStream, PixelPool, type TrainingBatch, type TrainingStreamOptions } from '../../pipelines/stream/index.ts';
import { buildFixture, type Fixture } from './fixture.ts';
import { bertQFormerTokenizer, charLmTokenizer, LM_SPECIAL } from './tokenizers.ts';

const root = mkdtempSync(path.join(tmpdir(), 'stream-'));
const tokenizers = { qformer: bertQFormerTokenizer(), lm: charLmTokenizer() };
const templates = loadTemplateLibrary();
const DATASETS = { 'coco-caption': 23, vqav2: 31, aokvqa: 12, textcaps: 9, 'llava-conversation': 14 };
let fixture: Fixture;
let config: MixtureConfig;
// Worker threads take seconds to start on a busy machine: the streams of this file share them.
const pixelPool = new PixelPool(2);

before(async () => {
  fixture = await buildFixture(root, { datasets: DATASETS });
  config = parseMixtureConfig({ policy: 'uniform', seed: 11, datasets: Object.keys(DATASETS) }, 'test');
});
after(async () => {
  await pixelPool.close();
  rmSync(root, { recursive: true, force: true });
});

function options(extra: Partial<TrainingStreamOptions> = {}): TrainingStreamOptions {
  return {
    shardsDir: fixture.shardsDir, manifestsDir: fixture.manifestsDir, mixture: config, tokenizers, templates,
    batchSize: 5, imageSize: 32, pixelPool, prefetch: 2, ...extra,
  };
}

async function take(extra: Partial<TrainingStreamOptions>, count: number): Promise<{ batches: TrainingBatch[]; states: TrainingBatch['state'][] }> {
  const stream = await createTrainingStream(options(extra));
  const states = [stream.state()];
  const batches: TrainingBatch[] = [];
  try {
    for (let i = 0; i < count; i++) {
      batches.push(await stream.next());
      states.push(stream.state());
    }
  } finally {
    await stream.close();
  }
  return { batches, states };
}

/** Everything a batch holds, as comparable text (pixels hashed). */
function fingerprint(batch: TrainingBatch): string {
  const hash = (a: ArrayBufferView) => createHash('sha256').update(new Uint8Array(a.buffer, a.byteOffset, a.byteLength)).digest('hex');
  const { pixelValues, qformerInputIds, qformerAttentionMask, lmInputIds, lmAttentionMask, lmLossMask, lmLabels } = batch;
  return JSON.stringify({
    provenance: batch.provenance,
    tensors: [pixelValues, qformerInputIds, qformerAttentionMask, lmInputIds, lmAttentionMask, lmLossMask, lmLabels].map((t) => [t.shape, hash(t.data)]),
    frames: [...batch.frameCounts],
    state: batch.state,
  });
}

test('batches have the layout the trainer takes: shapes, dtypes, masks on the right tokens', async () => {
  const { batches } = await take({ imageSize: 224, batchSize: 6 }, 3);
  for (const batch of batches) {
    const B = 6;
    assert.ok(batch.pixelValues.data instanceof Float32Array);
    assert.deepEqual(batch.pixelValues.shape, [B, 1, 3, 224, 224]);
    assert.equal(batch.pixelValues.data.length, B * 3 * 224 * 224);
    assert.deepEqual([...batch.frameCounts], [1, 1, 1, 1, 1, 1]);
    for (const t of [batch.qformerInputIds, batch.qformerAttentionMask, batch.lmInputIds, batch.lmAttentionMask, batch.lmLabels]) assert.ok(t.data instanceof Int32Array);
    assert.ok(batch.lmLossMask.data instanceof Float32Array);
    const [qb, lq] = batch.qformerInputIds.shape;
    const [lb, l] = batch.lmInputIds.shape;
    assert.equal(qb, B);
    assert.equal(lb, B);
    assert.deepEqual(batch.lmLossMask.shape, [B, l]);
    assert.deepEqual(batch.lmLabels.shape, [B, l]);
    assert.equal(batch.provenance.length, B);
    batch.provenance.forEach((p, b) => {
      const record = fixture.records.get(p.dataset)![p.record];
      assert.equal(record.id, p.recordId);
      const examples = renderForTraining(record, templates, { seed: config.seed, epoch: p.epoch });
      assert.equal(p.exampleCount, examples.length);
      const example = examples[p.exampleIndex];
      assert.equal(p.templateId, example.templateId);
      const q = Array.from(batch.qformerInputIds.data.subarray(b * lq, (b + 1) * lq));
      const qMask = Array.from(batch.qformerAttentionMask.data.subarray(b * lq, (b + 1) * lq));
      const qIds = [tokenizers.qformer.clsId, ...tokenizers.qformer.encode(example.instruction).slice(-126), tokenizers.qformer.sepId];
      assert.deepEqual(q, [...qIds, ...Array(lq - qIds.length).fill(tokenizers.qformer.padId)]);
      assert.deepEqual(qMask, q.map((_, i) => (i < qIds.length ? 1 : 0)));
      const ids = Array.from(batch.lmInputIds.data.subarray(b * l, (b + 1) * l));
      const mask = Array.from(batch.lmAttentionMask.data.subarray(b * l, (b + 1) * l));
      const loss = Array.from(batch.lmLossMask.data.subarray(b * l, (b + 1) * l));
      // The paper's limits, special tokens included: the prompt cut from the left, the target from the right.
      const prompt = [LM_SPECIAL.bos, ...tokenizers.lm.encode(example.instruction).slice(-127)];
      const target = [...tokenizers.lm.encode(example.target).slice(0, 255), LM_SPECIAL.eos];
      assert.deepEqual(ids, [...prompt, ...target, ...Array(l - prompt.length - target.length).fill(tokenizers.lm.padId)]);
      assert.deepEqual(mask, ids.map((_, i) => (i < prompt.length + target.length ? 1 : 0)));
      assert.deepEqual(loss, ids.map((_, i) => (i >= prompt.length && i < prompt.length + target.length ? 1 : 0)));
      assert.deepEqual(Array.from(batch.lmLabels.data.subarray(b * l, (b + 1) * l)), ids.map((id, i) => (loss[i] === 1 ? id : -100)));
    });
  }
});

test('a record showing a white image has the CLIP-normalized white in every pixel', async () => {
  const { batches } = await take({ batchSize: 8 }, 6);
  const plane = 32 * 32;
  let seen = 0;
  for (const batch of batches) {
    batch.provenance.forEach((p, b) => {
      if (p.images[0] !== fixture.whiteImage) return;
      seen++;
      for (let c = 0; c < 3; c++) {
        const values = batch.pixelValues.data.subarray((b * 3 + c) * plane, (b * 3 + c + 1) * plane);
        assert.ok(values.every((v) => v === Math.fround((1 - CLIP_MEAN[c]) / CLIP_STD[c])), `channel ${c}`);
      }
    });
  }
  assert.ok(seen > 0, 'the white image was drawn');
});

test('the stream is a function of the seed, and resuming at any batch boundary continues it exactly', async () => {
  const run = await take({}, 6);
  const again = await take({}, 6);
  assert.deepEqual(again.batches.map(fingerprint), run.batches.map(fingerprint));
  const other = await take({ mixture: { ...config, seed: 12 } }, 2);
  assert.notDeepEqual(other.batches.map((b) => b.provenance), run.batches.slice(0, 2).map((b) => b.provenance));
  for (let at = 0; at <= 4; at++) {
    const resumed = await take({ resumeFrom: run.states[at], prefetch: at % 3 }, 2);
    assert.deepEqual(resumed.batches.map(fingerprint), run.batches.slice(at, at + 2).map(fingerprint), `resumed after batch ${at}`);
  }
});

test('ranks partition the stream batch by batch', async () => {
  const world = 3;
  const single = await take({ batchSize: 4 }, 6);
  const ranks = await Promise.all([0, 1, 2].map((rank) => take({ batchSize: 4, rank, world }, 2)));
  for (let step = 0; step < 2; step++) {
    for (let rank = 0; rank < world; rank++) {
      assert.deepEqual(ranks[rank].batches[step].provenance, single.batches[step * world + rank].provenance, `rank ${rank} step ${step}`);
    }
  }
  assert.deepEqual(ranks[0].batches[0].state, single.batches[2].state, 'rank 0 state after a step is the global state');
  const resumed = await take({ batchSize: 4, rank: 1, world, resumeFrom: ranks[0].batches[0].state }, 1);
  assert.deepEqual(resumed.batches[0].provenance, ranks[1].batches[1].provenance, 'any rank resumes from rank 0\'s state');
});

test('LLaVA records give one example per draw and the batch size stays exact', async () => {
  const { batches } = await take({ batchSize: 7 }, 8);
  const llava = batches.flatMap((b) => b.provenance).filter((p) => p.dataset === 'llava-conversation');
  assert.ok(batches.every((b) => b.provenance.length === 7 && b.lmInputIds.shape[0] === 7));
  assert.ok(llava.some((p) => p.exampleCount > 1), 'some LLaVA records have several turns');
  assert.ok(llava.every((p) => p.exampleIndex >= 0 && p.exampleIndex < p.exampleCount));
  assert.ok(new Set(llava.filter((p) => p.exampleCount === 3).map((p) => p.exampleIndex)).size > 1, 'different turns get picked');
});

test('a held-out dataset can never be streamed', async () => {
  await assert.rejects(createTrainingStream(options({ mixture: parseMixtureConfig({ datasets: ['vqav2', 'gqa'] }, 'test') })), /held out/);
  const plan = buildMixturePlan(config, Object.fromEntries(Object.entries(DATASETS)));
  await assert.rejects(createTrainingStream(options({ mixture: { ...plan, datasets: [...plan.datasets.slice(0, -1), 'gqa'] } })), /held out/);
  const { batches } = await take({ batchSize: 8 }, 5);
  const heldOut = new Set(CATALOG.filter((d) => d.heldOut).map((d) => d.id));
  assert.ok(batches.every((b) => b.provenance.every((p) => !heldOut.has(p.dataset) && !p.recordId.startsWith('gqa/'))));
});

test('caches stay within their bounds while streaming', async () => {
  const stream = await createTrainingStream(options({ recordCache: { openFiles: 2, batchCacheBytes: 16 * 1024 }, mediaCache: { openFiles: 1, directoryCacheBytes: 2048 } }));
  try {
    for (let i = 0; i < 10; i++) await stream.next();
    const { records, media, batches } = stream.stats();
    assert.equal(batches, 10);
    assert.ok(records.cachedBytes <= 16 * 1024 || records.cachedBatches === 1, `record cache ${records.cachedBytes} bytes`);
    // 10 batches of 5 handed out, and up to `prefetch` more in preparation.
    assert.ok(records.batchReads > 0 && media.imageReads >= 50 && media.imageReads <= 60, `${media.imageReads} images read`);
  } finally {
    await stream.close();
  }
});

test('a plan made for other manifests and a bad record are errors naming dataset, shard and record', async () => {
  const plan = buildMixturePlan(config, { ...DATASETS, vqav2: 30 });
  await assert.rejects(createTrainingStream(options({ mixture: plan })), /dataset vqav2: the mixture plan was made for 30 training records, the manifests list 31/);
  const badRoot = mkdtempSync(path.join(tmpdir(), 'stream-bad-'));
  try {
    const bad = await buildFixture(badRoot, { datasets: { okvqa: 3 }, heldOutRecords: 0, scenes: 1, edit: (r, i) => (i === 1 ? { ...r, answers: [] } : r) });
    const stream = await createTrainingStream(options({
      shardsDir: bad.shardsDir, manifestsDir: bad.manifestsDir, mixture: parseMixtureConfig({ datasets: ['okvqa'] }, 'test'), batchSize: 3,
    }));
    try {
      const named = /dataset okvqa, shard okvqa\/train\/part-00000\.arrow, record batch 0, row 1 \(training record 1\), draw \d: dataset okvqa, record okvqa\/train\/1: answers is empty$/;
      await assert.rejects(stream.next(), named);
      await assert.rejects(stream.next(), named, 'a failed stream keeps failing, it does not skip the batch');
    } finally {
      await stream.close();
    }
  } finally {
    rmSync(badRoot, { recursive: true, force: true });
  }
});

test('records with several frames (a video) set F; shorter examples are zero-padded', async () => {
  const videoRoot = mkdtempSync(path.join(tmpdir(), 'stream-frames-'));
  try {
    const frames = await buildFixture(videoRoot, {
      datasets: { 'coco-caption': 2 }, heldOutRecords: 0, scenes: 1,
      edit: (r, i, white) => (i === 1 ? { ...r, images: [r.images[0], white, r.images[0]] } : r),
    });
    const { batches } = await take({
      shardsDir: frames.shardsDir, manifestsDir: frames.manifestsDir, mixture: parseMixtureConfig({ datasets: ['coco-caption'] }, 'test'), batchSize: 2,
    }, 1);
    const [batch] = batches;
    assert.deepEqual(batch.pixelValues.shape, [2, 3, 3, 32, 32]);
    const plane = 3 * 32 * 32;
    batch.provenance.forEach((p, b) => {
      assert.equal(batch.frameCounts[b], p.images.length);
      const frame = (f: number) => batch.pixelValues.data.subarray((b * 3 + f) * plane, (b * 3 + f + 1) * plane);
      const whiteRed = Math.fround((1 - CLIP_MEAN[0]) / CLIP_STD[0]);
      assert.ok(frame(0).some((v) => v !== whiteRed), 'frame 0 is the scene');
      if (p.images.length === 1) {
        assert.ok(frame(1).every((v) => v === 0) && frame(2).every((v) => v === 0), 'missing frames are zeros');
      } else {
        assert.ok(frame(1).subarray(0, 32 * 32).every((v) => v === whiteRed), 'frame 1 is the white image');
        assert.ok(frame(2).every((v, i) => v === frame(0)[i]), 'frame 2 repeats frame 0');
      }
    });
  } finally {
    rmSync(videoRoot, { recursive: true, force: true });
  }
});

test('skipImage: the images it names are neither decoded nor in the pixels (zeros), listed in omittedImages; every other value is unchanged', async () => {
  const plain = await take({}, 4);
  const skipped = (key: string) => key.charCodeAt(key.length - 1) % 2 === 0;
  const thin = await take({ skipImage: skipped }, 4);
  let omitted = 0;
  plain.batches.forEach((full, n) => {
    const batch = thin.batches[n]!;
    assert.deepEqual(batch.provenance, full.provenance);
    assert.deepEqual(batch.state, full.state);
    assert.deepEqual(batch.lmLabels, full.lmLabels);
    const frames = full.pixelValues.shape[1]!;
    const plane = full.pixelValues.data.length / (full.provenance.length * frames);
    full.provenance.forEach((p, b) => p.images.forEach((key, f) => {
      const at = (b * frames + f) * plane;
      const got = batch.pixelValues.data.subarray(at, at + plane);
      if (skipped(key)) {
        omitted++;
        assert.ok(batch.omittedImages!.has(key));
        assert.ok(got.every((v) => v === 0), `${key} was skipped: zeros`);
      } else {
        assert.ok(!batch.omittedImages!.has(key));
        assert.deepEqual(got, full.pixelValues.data.subarray(at, at + plane), `${key} decoded as without skipping`);
      }
    }));
  });
  assert.ok(omitted > 0, 'the predicate named some image of these batches');
});

test('release: a stream whose pixel arrays are given back and reused yields the same batches, zeros included, and refuses a second release', async () => {
  const skipImage = (key: string) => key.charCodeAt(key.length - 1) % 3 === 0;
  const fresh = await take({ skipImage }, 8);
  const stream = await createTrainingStream(options({ skipImage }));
  const seen = new Set<Float32Array>();
  try {
    for (let n = 0; n < 8; n++) {
      const batch = await stream.next();
      assert.equal(fingerprint(batch), fingerprint(fresh.batches[n]!), `batch ${n}`);
      seen.add(batch.pixelValues.data);
      // What a consumer may leave behind in an array it is done with.
      batch.pixelValues.data.fill(Number.NaN);
      stream.release(batch);
      if (n === 7) assert.throws(() => stream.release(batch), /given back twice/);
    }
  } finally {
    await stream.close();
  }
  assert.ok(seen.size < 8, `arrays were reused (${seen.size} distinct for 8 batches)`);
});
