/**
 * Encodes still frames into a real video file with ffmpeg, for the sample mirrors, tests and
 * benchmarks. Output is bit-exact for the same frames (one thread, no encoder version strings), so
 * a regenerated sample mirror matches its SHA256SUMS.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ffmpegMessage, runFfmpeg } from './video-ffmpeg.ts';

/** `mpeg4` is MPEG-4 Part 2 tagged XVID, as in MSVD's AVI clips; `h264` is what MSR-VTT's MP4s hold. */
export type VideoCodec = 'mpeg4' | 'h264';
export type VideoContainer = 'avi' | 'mp4';

export interface EncodeOptions {
  fps: number;
  codec: VideoCodec;
  container: VideoContainer;
}

const CODEC_ARGS: Record<VideoCodec, string[]> = {
  mpeg4: ['-c:v', 'mpeg4', '-vtag', 'XVID', '-q:v', '3'],
  h264: ['-c:v', 'libx264', '-preset', 'medium', '-crf', '23', '-x264-params', 'threads=1'],
};

/** The bytes of a video made of `frames` (PNG or JPEG, all the same size, even width and height). */
export async function encodeVideo(frames: Buffer[], options: EncodeOptions): Promise<Buffer> {
  if (frames.length === 0) throw new Error('encodeVideo: no frames');
  const dir = await mkdtemp(path.join(tmpdir(), 'encode-video-'));
  try {
    await Promise.all(frames.map((frame, i) => writeFile(path.join(dir, `${String(i).padStart(5, '0')}.img`), frame)));
    const outFile = path.join(dir, `video.${options.container}`);
    const run = await runFfmpeg([
      '-v', 'error', '-framerate', String(options.fps), '-f', 'image2', '-i', path.join(dir, '%05d.img'),
      ...CODEC_ARGS[options.codec], '-pix_fmt', 'yuv420p', '-threads', '1',
      '-fflags', '+bitexact', '-flags:v', '+bitexact', outFile,
    ]);
    if (run.code !== 0) throw new Error(`encodeVideo: ${ffmpegMessage(run.stderr, outFile)}`);
    return await readFile(outFile);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
