/**
 * Encodes still frames into a real video file with ffmpeg, for the sample mirrors, tests and
 * benchmarks. Output is bit-exact for the same frames (one thread, no encoder version strings), so
 * a regenerated sample mirror matches its SHA256SUMS.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ffmpegMessage, runFfmpeg } from './video-ffmpeg.ts';

/** `mpeg4` is MPEG-4 Part 2 tagged XVID, as in MSVD's AVI clips; `h264` is what MSR-VTT's MP4s hold. */
export type VideoCodec = 'mpeg4' | 'h264';

export interface EncodeOptions {
  fps: number;
  codec: VideoCodec;
}

const CODEC_ARGS: Record<VideoCodec, string[]> = {
  mpeg4: ['-c:v', 'mpeg4', '-vtag', 'XVID', '-q:v', '3'],
  h264: ['-c:v', 'libx264', '-preset', 'medium', '-crf', '23', '-x264-params', 'threads=1'],
};

/** Writes `frames` (PNG or JPEG, all the same size, even width and height) as a video at `outFile`; the extension picks the container. */
export async function encodeVideo(frames: Buffer[], outFile: string, options: EncodeOptions): Promise<void> {
  if (frames.length === 0) throw new Error(`encodeVideo ${outFile}: no frames`);
  const dir = await mkdtemp(path.join(tmpdir(), 'encode-video-'));
  try {
    await Promise.all(frames.map((frame, i) => writeFile(path.join(dir, `${String(i).padStart(5, '0')}.img`), frame)));
    const run = await runFfmpeg([
      '-v', 'error', '-y', '-framerate', String(options.fps), '-f', 'image2', '-i', path.join(dir, '%05d.img'),
      ...CODEC_ARGS[options.codec], '-pix_fmt', 'yuv420p', '-threads', '1',
      '-fflags', '+bitexact', '-flags:v', '+bitexact', outFile,
    ]);
    if (run.code !== 0) throw new Error(`encodeVideo ${outFile}: ${ffmpegMessage(run.stderr, outFile)}`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
