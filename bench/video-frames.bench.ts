/**
 * Videos per second for 4 uniform frames from a 10-second 320x240 clip (MSR-VTT's size), one
 * ffmpeg at a time vs `cores` in parallel through extractFramesMany.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import path from 'node:path';
import { runFfmpeg } from '../pipelines/media/video-ffmpeg.ts';
import { extractFramesMany } from '../pipelines/media/video-frames-many.ts';

const VIDEOS = 24;
const FRAMES = 4;

/** testsrc has moving content, so the encoder does real work and the decoder too. */
async function makeClip(file: string, codecArgs: string[]): Promise<void> {
  const run = await runFfmpeg(['-v', 'error', '-y', '-f', 'lavfi', '-i', 'testsrc=size=320x240:rate=25:duration=10', ...codecArgs, '-pix_fmt', 'yuv420p', file]);
  if (run.code !== 0) throw new Error(`cannot make ${file}: ${run.stderr}`);
}

async function videosPerSecond(clip: string, concurrency: number): Promise<number> {
  const paths = Array.from({ length: VIDEOS }, () => clip);
  const start = process.hrtime.bigint();
  const outcomes = await extractFramesMany(paths, FRAMES, concurrency);
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const failed = outcomes.find((o) => 'error' in o);
  if (failed && 'error' in failed) throw failed.error;
  return VIDEOS / seconds;
}

const cores = availableParallelism();
const dir = await mkdtemp(path.join(tmpdir(), 'video-frames-bench-'));
try {
  const clips = [
    { name: 'MP4 / H.264 (MSR-VTT, iVQA)', file: path.join(dir, 'clip.mp4'), args: ['-c:v', 'libx264', '-preset', 'fast'] },
    { name: 'AVI / MPEG-4 Part 2 (MSVD)', file: path.join(dir, 'clip.avi'), args: ['-c:v', 'mpeg4', '-vtag', 'XVID', '-q:v', '4'] },
  ];
  console.log(`${VIDEOS} extractions of ${FRAMES} frames from a 10 s 320x240 25 fps clip; ${cores} cores\n`);
  console.log('| clip | workers | videos/s | vs 1 worker |');
  console.log('|---|---:|---:|---:|');
  for (const clip of clips) {
    await makeClip(clip.file, clip.args);
    await videosPerSecond(clip.file, 1); // warm the page cache and the binary
    const single = await videosPerSecond(clip.file, 1);
    const parallel = await videosPerSecond(clip.file, cores);
    console.log(`| ${clip.name} | 1 | ${single.toFixed(1)} | 1.00 |`);
    console.log(`| ${clip.name} | ${cores} | ${parallel.toFixed(1)} | ${(parallel / single).toFixed(2)} |`);
  }
} finally {
  await rm(dir, { recursive: true, force: true });
}
