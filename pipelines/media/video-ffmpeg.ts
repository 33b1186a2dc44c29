/**
 * Runs the static ffmpeg binary shipped by @ffmpeg-installer/ffmpeg as a child process. There is no
 * ffprobe in that package, so everything (frame counts included) goes through ffmpeg itself.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import ffmpeg from '@ffmpeg-installer/ffmpeg';

export interface FfmpegRun {
  /** Exit code; null when the process was killed by a signal. */
  code: number | null;
  stdout: Buffer;
  stderr: string;
}

/** A corrupt video can make ffmpeg log one line per bad packet; keep the end, where the verdict is. */
const STDERR_LIMIT = 16 * 1024;

export function runFfmpeg(args: string[]): Promise<FfmpegRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(ffmpeg.path, ['-nostdin', '-hide_banner', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => {
      stderr = (stderr + chunk).slice(-STDERR_LIMIT);
    });
    child.on('error', (err) => reject(new Error(`cannot run ffmpeg (${ffmpeg.path}): ${err.message}`)));
    child.on('close', (code) => resolve({ code, stdout: Buffer.concat(out), stderr }));
  });
}

/**
 * ffmpeg's stderr made stable for manifests: the input path becomes its base name (temp folders
 * differ per run) and `[avi @ 0x23eedbc0]` loses its heap address.
 */
export function ffmpegMessage(stderr: string, inputPath: string): string {
  return stderr
    .split(inputPath).join(path.basename(inputPath))
    .replace(/ @ 0x[0-9a-f]+\]/g, ']')
    .split('\n')
    .map((line) => line.trimEnd())
    .filter((line) => line.length > 0)
    .join('\n');
}
