/**
 * Videos per second for 4 uniform frames from a 10-second 320x240 clip (MSR-VTT's size), one
 * ffmpeg at a time vs `cores` in parallel through extractFramesMany. CPU seconds per video (the
 * ffmpeg children's, from /proc) are reported too: on a shared machine wall time also measures the
 * neighbours, CPU time does not.
 */
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
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

/** User + system CPU seconds of this process's finished children (fields 16 and 17 of /proc/self/stat). */
function childCpuSeconds(): number {
  const fields = readFileSync('/proc/self/stat', 'utf8').split(') ')[1].split(' ');
  return (Number(fields[13]) + Number(fields[14])) / 100; // clock ticks; 100 per second on Linux
}

async function measure(clip: string, concurrency: number): Promise<{ perSecond: number; cpuPerVideo: number }> {
  const paths = Array.from({ length: VIDEOS }, () => clip);
  const cpu0 = childCpuSeconds();
  const start = process.hrtime.bigint();
  const outcomes = await extractFramesMany(paths, FRAMES, concurrency);
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const failed = outcomes.find((o) => 'error' in o);
  if (failed && 'error' in failed) throw failed.error;
  return { perSecond: VIDEOS / seconds, cpuPerVideo: (childCpuSeconds() - cpu0) / VIDEOS };
}

const cores = availableParallelism();
const dir = await mkdtemp(path.join(tmpdir(), 'video-frames-bench-'));
try {
  const clips = [
    { name: 'MP4 / H.264 (MSR-VTT, iVQA)', file: path.join(dir, 'clip.mp4'), args: ['-c:v', 'libx264', '-preset', 'fast'] },
    { name: 'AVI / MPEG-4 Part 2 (MSVD)', file: path.join(dir, 'clip.avi'), args: ['-c:v', 'mpeg4', '-vtag', 'XVID', '-q:v', '4'] },
  ];
  console.log(`${VIDEOS} extractions of ${FRAMES} frames from a 10 s 320x240 25 fps clip; ${cores} cores\n`);
  console.log(`load average before: ${loadavg().map((l) => l.toFixed(2)).join(' ')}\n`);
  console.log('| clip | workers | videos/s | vs 1 worker | ffmpeg CPU ms/video |');
  console.log('|---|---:|---:|---:|---:|');
  for (const clip of clips) {
    await makeClip(clip.file, clip.args);
    await measure(clip.file, 1); // warm the page cache and the binary
    const single = await measure(clip.file, 1);
    const parallel = await measure(clip.file, cores);
    const row = (workers: number, m: typeof single) =>
      `| ${clip.name} | ${workers} | ${m.perSecond.toFixed(1)} | ${(m.perSecond / single.perSecond).toFixed(2)} | ${(m.cpuPerVideo * 1000).toFixed(0)} |`;
    console.log(row(1, single));
    console.log(row(cores, parallel));
  }
} finally {
  await rm(dir, { recursive: true, force: true });
}
