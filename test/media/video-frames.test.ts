import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import sharp from 'sharp';
import { encodeVideo } from '../../pipelines/media/video-encode.ts';
import { extractFrames, uniformFrameIndices, VideoDecodeError } from '../../pipelines/media/video-frames.ts';
import { runFfmpeg } from '../../pipelines/media/video-ffmpeg.ts';
import { COLOR_NAMES, POSITIONS, renderScene, shapeCells, type ColorName, type Scene } from '../../pipelines/sample/scene.ts';
import { paletteColorAt } from './video-palette.ts';

const CELL = 16;

/** Frame i: one circle whose colour and side change from frame to frame, so each sampled frame is identifiable. */
const sceneOfFrame = (i: number): Scene => ({
  shape: 'circle', count: 1, color: COLOR_NAMES[i % COLOR_NAMES.length], position: POSITIONS[Math.floor(i / 3) % POSITIONS.length],
});

/** Colour at the centre of the scene's first shape cell in `png`. */
async function shapeColor(png: Buffer, scene: Scene): Promise<ColorName | 'background'> {
  const [col, row] = shapeCells(scene)[0];
  return paletteColorAt(png, col * CELL + CELL / 2, row * CELL + CELL / 2);
}

let dir: string;
const sceneVideo = async (name: string, frames: number, codec: 'mpeg4' | 'h264') => {
  const file = path.join(dir, name);
  const pngs = await Promise.all(Array.from({ length: frames }, (_, i) => renderScene(sceneOfFrame(i), { format: 'png' })));
  await writeFile(file, await encodeVideo(pngs, { fps: 4, codec, container: codec === 'mpeg4' ? 'avi' : 'mp4' }));
  return file;
};

describe('uniformFrameIndices', () => {
  it('takes the centre frame of each equal segment', () => {
    assert.deepEqual(uniformFrameIndices(12, 4), [1, 4, 7, 10]);
    assert.deepEqual(uniformFrameIndices(100, 4), [12, 37, 62, 87]);
    assert.deepEqual(uniformFrameIndices(1, 1), [0]);
  });

  it('repeats frames of a video shorter than the count, in order', () => {
    assert.deepEqual(uniformFrameIndices(2, 4), [0, 0, 1, 1]);
  });

  it('stays inside the video for any length', () => {
    for (let n = 1; n < 200; n++) {
      const indices = uniformFrameIndices(n, 4);
      assert.ok(indices.every((i, k) => i >= 0 && i < n && (k === 0 || i >= indices[k - 1])), `n=${n}: ${indices}`);
    }
  });
});

describe('extractFrames', () => {
  before(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'video-frames-test-'));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  for (const [name, codec] of [['scenes.avi', 'mpeg4'], ['scenes.mp4', 'h264']] as const) {
    it(`returns the frames at the segment centres, in order (${name})`, async () => {
      const video = await sceneVideo(name, 12, codec);
      const frames = await extractFrames(video, 4);
      assert.equal(frames.length, 4);
      const expected = uniformFrameIndices(12, 4).map(sceneOfFrame);
      for (const [k, frame] of frames.entries()) {
        const meta = await sharp(frame).metadata();
        assert.equal(meta.format, 'png');
        assert.deepEqual([meta.width, meta.height], [112, 112]);
        assert.equal(await shapeColor(frame, expected[k]), expected[k].color, `frame ${k}`);
      }
    });
  }

  it('repeats frames when the video has fewer frames than asked for', async () => {
    const video = await sceneVideo('short.avi', 2, 'mpeg4');
    const frames = await extractFrames(video, 4);
    const colors = await Promise.all(frames.map((f, k) => shapeColor(f, sceneOfFrame(k < 2 ? 0 : 1))));
    assert.deepEqual(colors, ['red', 'red', 'green', 'green']);
  });

  it('recounts by decoding when damaged packets at the end do not decode', async () => {
    const bytes = await readFile(await sceneVideo('damaged.avi', 12, 'mpeg4'));
    // AVI stores frame k as the k-th "00dc" chunk of the movi list, which comes before the idx1 index
    const chunks = [...bytes.toString('latin1').matchAll(/00dc/g)].slice(0, 12).map((m) => m.index);
    for (const at of chunks.slice(-3)) bytes.fill(0, at + 8, at + 8 + bytes.readUInt32LE(at + 4));
    const damaged = path.join(dir, 'damaged.avi');
    await writeFile(damaged, bytes);
    const frames = await extractFrames(damaged, 4);
    // 12 packets but 9 decodable frames: the centres of 4 segments of 9 are frames 1, 3, 5, 7
    const colors = await Promise.all(frames.map((f, k) => shapeColor(f, sceneOfFrame(uniformFrameIndices(9, 4)[k]))));
    assert.deepEqual(colors, [1, 3, 5, 7].map((i) => sceneOfFrame(i).color));
  });

  it('rejects a corrupt header with ffmpeg\'s message', async () => {
    const bytes = await readFile(await sceneVideo('good.avi', 4, 'mpeg4'));
    bytes.fill(0, 24, 200); // the RIFF signature survives, the hdrl list (stream headers) does not
    const corrupt = path.join(dir, 'corrupt.avi');
    await writeFile(corrupt, bytes);
    await assert.rejects(extractFrames(corrupt, 4), (err: unknown) => {
      assert.ok(err instanceof VideoDecodeError);
      assert.equal(err.videoPath, corrupt);
      assert.match(err.ffmpegMessage, /^\[avi\] Something went wrong during header parsing/m);
      assert.match(err.ffmpegMessage, /matches no streams/);
      assert.ok(!err.ffmpegMessage.includes(dir), 'temp folder stripped from the message');
      return true;
    });
  });

  it('rejects a video stream with no frames with ffmpeg\'s message', async () => {
    const empty = path.join(dir, 'empty.avi');
    const made = await runFfmpeg(['-v', 'error', '-f', 'lavfi', '-i', 'color=c=red:s=64x64:r=4', '-frames:v', '0', '-c:v', 'mpeg4', empty]);
    assert.equal(made.code, 0, made.stderr);
    await assert.rejects(extractFrames(empty, 4), (err: unknown) => {
      assert.ok(err instanceof VideoDecodeError);
      assert.match(err.ffmpegMessage, /^no video frames; ffmpeg: .*Could not find codec parameters/s);
      assert.doesNotMatch(err.ffmpegMessage, / @ 0x/, 'heap addresses stripped');
      return true;
    });
  });

  it('rejects a file without a video stream', async () => {
    const text = path.join(dir, 'notes.mp4');
    await writeFile(text, 'these are not video bytes\n'.repeat(20));
    await assert.rejects(extractFrames(text, 4), (err: unknown) => {
      assert.ok(err instanceof VideoDecodeError);
      assert.match(err.ffmpegMessage, /^notes\.mp4: Invalid data found when processing input$/m);
      return true;
    });
  });
});
