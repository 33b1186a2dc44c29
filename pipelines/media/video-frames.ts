/**
 * Uniform frame sampling from a video with ffmpeg, as InstructBLIP feeds videos to the model: a
 * video becomes `count` frames (the paper uses 4), each passed through the vision encoder alone.
 *
 * Sampling rule: with N decodable frames, frame k (0-based) is the one at the centre of the k-th of
 * `count` equal segments, index floor((k + 0.5) * N / count). Indices are in decode order, not
 * timestamps, so the rule is the same for constant and variable frame rates and for AVI files whose
 * headers misstate the duration. A video shorter than `count` frames repeats frames.
 */
import { ffmpegMessage, runFfmpeg } from './video-ffmpeg.ts';
import { splitPngStream } from './video-png-split.ts';

/** The video cannot be turned into frames: no video stream, a corrupt header, no decodable frames. */
export class VideoDecodeError extends Error {
  constructor(
    readonly videoPath: string,
    /** What ffmpeg said (input path reduced to its base name); stable enough for a quarantine detail. */
    readonly ffmpegMessage: string,
  ) {
    super(`cannot decode video ${videoPath}: ${ffmpegMessage}`);
    this.name = 'VideoDecodeError';
  }
}

export function uniformFrameIndices(frameCount: number, count: number): number[] {
  return Array.from({ length: count }, (_, k) => Math.floor(((k + 0.5) * frameCount) / count));
}

type CountMode = 'packets' | 'decoded';

/**
 * Frames in the first video stream. `packets` only demuxes (cheap) and equals the frame count for
 * well-formed files; `decoded` runs the decoder and is the truth when the two disagree.
 */
async function countFrames(videoPath: string, mode: CountMode): Promise<number> {
  const codec = mode === 'packets' ? ['-c', 'copy'] : [];
  const run = await runFfmpeg(['-v', 'warning', '-progress', 'pipe:1', '-i', videoPath, '-map', '0:v:0', ...codec, '-f', 'null', '-']);
  if (run.code !== 0) throw new VideoDecodeError(videoPath, ffmpegMessage(run.stderr, videoPath));
  const counts = [...run.stdout.toString('latin1').matchAll(/^frame=(\d+)$/gm)];
  const frames = counts.length > 0 ? Number(counts[counts.length - 1][1]) : 0;
  if (frames === 0) {
    const said = ffmpegMessage(run.stderr, videoPath);
    throw new VideoDecodeError(videoPath, said ? `no video frames; ffmpeg: ${said}` : 'no video frames');
  }
  return frames;
}

/** Decodes the frames at `indices` (ascending, distinct) as PNGs; fewer come back if the video ends early. */
async function framesAt(videoPath: string, indices: number[]): Promise<Buffer[]> {
  const select = `select='${indices.map((i) => `eq(n,${i})`).join('+')}'`;
  const run = await runFfmpeg([
    // one decoder thread: throughput comes from one ffmpeg per core (extractFramesMany), and
    // frame threading would only add start-up cost to clips this short
    '-v', 'warning', '-threads', '1', '-i', videoPath, '-map', '0:v:0', '-vf', select,
    // passthrough: without it ffmpeg would duplicate selected frames to keep the input frame rate
    '-vsync', 'passthrough', '-frames:v', String(indices.length),
    '-f', 'image2pipe', '-c:v', 'png', '-',
  ]);
  if (run.code !== 0) throw new VideoDecodeError(videoPath, ffmpegMessage(run.stderr, videoPath));
  return splitPngStream(run.stdout);
}

async function sampleWithCount(videoPath: string, frameCount: number, count: number): Promise<Buffer[] | null> {
  const wanted = uniformFrameIndices(frameCount, count);
  const distinct = [...new Set(wanted)];
  const frames = await framesAt(videoPath, distinct);
  if (frames.length < distinct.length) return null;
  return wanted.map((index) => frames[distinct.indexOf(index)]);
}

/** `count` frames sampled uniformly over the video (rule above), as PNG buffers in time order. */
export async function extractFrames(videoPath: string, count: number): Promise<Buffer[]> {
  if (!Number.isInteger(count) || count < 1) throw new RangeError(`frame count must be a positive integer, got ${count}`);
  const byPackets = await sampleWithCount(videoPath, await countFrames(videoPath, 'packets'), count);
  if (byPackets) return byPackets;
  // Fewer frames decode than the container holds packets (damaged or dropped packets): recount.
  const byDecoding = await sampleWithCount(videoPath, await countFrames(videoPath, 'decoded'), count);
  if (byDecoding) return byDecoding;
  throw new VideoDecodeError(videoPath, 'frames decoded on one pass were missing on the next');
}
