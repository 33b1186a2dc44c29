/**
 * Frames from a video held in memory, as read from a tar or zip member (MSVD's YouTubeClips.tar,
 * MSR-VTT's zips). ffmpeg needs a seekable file for MP4 (the moov atom may sit at the end), so the
 * bytes go to a temp file named after the member, which keeps ffmpeg's messages about it stable.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { extractFrames, VideoDecodeError } from './video-frames.ts';

/** `name` is where the bytes came from (`YouTubeClips.tar:YouTubeClips/vid1.avi`); errors carry it as videoPath. */
export async function extractFramesFromBytes(bytes: Buffer, name: string, count: number): Promise<Buffer[]> {
  const dir = await mkdtemp(path.join(tmpdir(), 'video-frames-'));
  const file = path.join(dir, path.basename(name.replace(/:/g, '/')) || 'video');
  try {
    await writeFile(file, bytes);
    return await extractFrames(file, count);
  } catch (err) {
    if (err instanceof VideoDecodeError) throw new VideoDecodeError(name, err.ffmpegMessage);
    throw err;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
