/** Test helpers shared by the video-QA adapter tests (msvd-qa, msrvtt-qa, ivqa). */
import assert from 'node:assert/strict';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import pLimit from 'p-limit';
import { extractFramesFromBytes } from '../../pipelines/media/video-frames-bytes.ts';
import { uniformFrameIndices } from '../../pipelines/media/video-frames.ts';
import { RawAccess } from '../../pipelines/raw/access.ts';
import { shapeCells } from '../../pipelines/sample/scene.ts';
import { makeMirror } from '../../pipelines/sample/mirror.ts';
import { listFiles } from '../../pipelines/sample/sha256sums.ts';
import { writeZip } from '../../pipelines/sample/zip-writer.ts';
import { writeTar } from '../../pipelines/sample/tar-writer.ts';
import { FRAMES_PER_SEGMENT, SEGMENTS, storyQuestions, storyScenes, type VideoStory } from '../../pipelines/sources/msvd-qa/video-stories.ts';
import { sampleDir } from '../../pipelines/sources/registry.ts';
import type { SampleMaker, SourceRecord } from '../../pipelines/sources/types.ts';
import { paletteColorAt } from '../media/video-palette.ts';
import { mediaBytes, scratchDir } from './coco-family-helpers.ts';

const CELL = 16;

/** Each of the 4 sampled frames shows its segment's scene: shapes of the right colour on their cells, the centre empty. */
async function assertFramesShowStory(frames: Buffer[], story: VideoStory, label: string): Promise<void> {
  assert.equal(frames.length, SEGMENTS, label);
  const scenes = storyScenes(story);
  const sampled = uniformFrameIndices(SEGMENTS * FRAMES_PER_SEGMENT, SEGMENTS);
  for (const [k, frame] of frames.entries()) {
    const scene = scenes[sampled[k]];
    for (const [c, r] of shapeCells(scene)) {
      assert.equal(await paletteColorAt(frame, c * CELL + CELL / 2, r * CELL + CELL / 2), scene.color, `${label} frame ${k} cell ${c},${r}`);
    }
    assert.equal(await paletteColorAt(frame, 3 * CELL + CELL / 2, 3 * CELL + CELL / 2), 'background', `${label} frame ${k} centre`);
  }
}

/** The record asks one of its story's questions, and its heaviest answer is that question's answer. */
function assertAsksStory(record: SourceRecord, story: VideoStory): void {
  const asked = storyQuestions(story).find((q) => q.question === record.question);
  assert.ok(asked, `${record.id}: "${record.question}" is not a question of its video`);
  assert.equal(record.answers[record.answerWeights.indexOf(Math.max(...record.answerWeights))], asked.answer, record.id);
}

export const editJsonFile = (file: string, edit: (json: any) => unknown) =>
  writeFileSync(file, JSON.stringify(edit(JSON.parse(readFileSync(file, 'utf8')))));

/** Rewrites archive `archive` in `dir` with `edit` applied to the bytes of `member`, every other entry as it was. */
export async function editArchiveMember(dir: string, archive: string, member: string, edit: (bytes: Buffer) => Buffer): Promise<void> {
  const raw = new RawAccess(() => dir);
  const entries = [];
  for (const name of await raw.members('x', archive)) {
    const data = await raw.readMember('x', archive, name);
    entries.push({ name, data: name === member ? edit(data) : data });
  }
  await raw.close();
  await (archive.endsWith('.tar') ? writeTar : writeZip)(path.join(dir, archive), entries);
}

/** A damaged container header: the first bytes survive, the stream headers after them do not. */
export const corruptHeader = (bytes: Buffer): Buffer => Buffer.concat([bytes.subarray(0, 24), Buffer.alloc(176), bytes.subarray(200)]);

/** A scratch copy of a source's committed sample mirror, to mutate. */
export function mirrorCopy(source: string): string {
  const dir = scratchDir();
  cpSync(sampleDir(source), dir, { recursive: true });
  return dir;
}

/** Regenerating the mirror with `make` gives the committed files byte for byte. */
export async function assertMirrorReproduces(source: string, make: SampleMaker): Promise<void> {
  const target = path.join(scratchDir(), source);
  await makeMirror(make, target, { scale: 1, seed: 1 });
  const committed = sampleDir(source);
  assert.deepEqual(listFiles(target), listFiles(committed));
  for (const rel of listFiles(target)) {
    assert.ok(readFileSync(path.join(target, rel)).equals(readFileSync(path.join(committed, rel))), `${rel} differs from the committed sample`);
  }
}

/** Every distinct video decodes into 4 frames showing its story, and every record asks a question of that story. */
export async function assertRecordsTrueOfVideos(raw: RawAccess, records: SourceRecord[], storyOf: (r: SourceRecord) => VideoStory): Promise<void> {
  const byVideo = new Map(records.map((r) => [`${r.media[0].path}:${r.media[0].member ?? ''}`, r]));
  const decoders = pLimit(2); // the test runner already runs two files at once on two cores
  await Promise.all([...byVideo.entries()].map(([name, r]) => decoders(async () => {
    const frames = await extractFramesFromBytes(await mediaBytes(raw, r.media[0]), name, 4);
    await assertFramesShowStory(frames, storyOf(r), name);
  })));
  for (const r of records) assertAsksStory(r, storyOf(r));
}
