import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { encodeVideo } from '../../pipelines/media/video-encode.ts';
import { extractFramesFromBytes } from '../../pipelines/media/video-frames-bytes.ts';
import { extractFramesMany } from '../../pipelines/media/video-frames-many.ts';
import { extractFrames, VideoDecodeError } from '../../pipelines/media/video-frames.ts';
import { COLOR_NAMES, renderScene } from '../../pipelines/sample/scene.ts';

let dir: string;
let good: string[];
let corrupt: string;

before(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'video-frames-many-test-'));
  good = await Promise.all(COLOR_NAMES.slice(0, 3).map(async (color, i) => {
    const frames = await Promise.all([0, 1, 2, 3].map((k) => renderScene({ shape: 'square', color, count: 1, position: k % 2 ? 'left' : 'right' }, { format: 'png' })));
    const file = path.join(dir, `clip${i}.mp4`);
    await writeFile(file, await encodeVideo(frames, { fps: 2, codec: 'h264', container: 'mp4' }));
    return file;
  }));
  corrupt = path.join(dir, 'broken.mp4');
  await writeFile(corrupt, (await readFile(good[0])).subarray(0, 40));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('extractFramesMany', () => {
  it('keeps the input order and reports undecodable videos in place', async () => {
    const paths = [good[0], corrupt, good[1], good[2]];
    const outcomes = await extractFramesMany(paths, 4, 2);
    assert.equal(outcomes.length, 4);
    for (const k of [0, 2, 3]) {
      const outcome = outcomes[k];
      assert.ok('frames' in outcome, `video ${k} decoded`);
      assert.deepEqual(outcome.frames, await extractFrames(paths[k], 4));
    }
    const failed = outcomes[1];
    assert.ok('error' in failed && failed.error instanceof VideoDecodeError);
    assert.equal(failed.error.videoPath, corrupt);
  });
});

describe('extractFramesFromBytes', () => {
  it('gives the same frames as the file, and errors named after the member', async () => {
    const bytes = await readFile(good[1]);
    assert.deepEqual(await extractFramesFromBytes(bytes, 'TrainValVideo.zip:TrainValVideo/video1.mp4', 4), await extractFrames(good[1], 4));
    await assert.rejects(extractFramesFromBytes(bytes.subarray(0, 40), 'TrainValVideo.zip:TrainValVideo/video2.mp4', 4), (err: unknown) => {
      assert.ok(err instanceof VideoDecodeError);
      assert.equal(err.videoPath, 'TrainValVideo.zip:TrainValVideo/video2.mp4');
      assert.match(err.ffmpegMessage, /video2\.mp4/);
      assert.doesNotMatch(err.ffmpegMessage, new RegExp(tmpdir()));
      return true;
    });
  });
});
