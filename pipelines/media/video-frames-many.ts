/**
 * Frame extraction for many videos at once. Each extraction is an ffmpeg child process, so
 * running `concurrency` of them keeps that many cores busy without worker threads.
 */
import { availableParallelism } from 'node:os';
import pLimit from 'p-limit';
import { extractFrames, VideoDecodeError } from './video-frames.ts';

/** One video's outcome: its frames, or why it cannot be decoded (the caller quarantines it). */
export type FramesOutcome = { frames: Buffer[] } | { error: VideoDecodeError };

/**
 * `count` uniform frames of every video in `paths`, in the order given. A video that cannot be
 * decoded yields its VideoDecodeError; any other failure (ffmpeg missing) rejects the whole call.
 */
export async function extractFramesMany(
  paths: string[],
  count: number,
  concurrency = availableParallelism(),
): Promise<FramesOutcome[]> {
  const limit = pLimit(Math.max(1, concurrency));
  return Promise.all(paths.map((videoPath) => limit(async (): Promise<FramesOutcome> => {
    try {
      return { frames: await extractFrames(videoPath, count) };
    } catch (err) {
      if (err instanceof VideoDecodeError) return { error: err };
      throw err;
    }
  })));
}
