/**
 * iVQA's videos. The release publishes no video archive: each clip is a segment of a YouTube video,
 * downloaded by id. This project's layout for them (Just Ask keeps them in a `video` folder and
 * reads the YouTube id from a file name's first 11 characters) is
 *   raw/ivqa/video/<video_id>_<start>_<end>.<ext>   (ext mp4, webm or mkv)
 * with `<video_id>.<ext>` accepted when a video is only used once. A clip YouTube no longer serves
 * is simply absent, and its question is quarantined as `unknown-video`.
 */
import { readdirSync } from 'node:fs';
import type { RawAccess } from '../../raw/access.ts';
import { BadRecord } from '../common/fields.ts';
import type { MediaRef } from '../types.ts';

export const VIDEO_FOLDER = 'video';
const VIDEO_FILE = /^(.+)\.(mp4|webm|mkv)$/i;

export class IvqaVideos {
  private constructor(private readonly byStem: Map<string, string>) {}

  static index(raw: RawAccess): IvqaVideos {
    if (!raw.exists('ivqa', VIDEO_FOLDER)) {
      throw new Error(`ivqa: raw/ivqa has no ${VIDEO_FOLDER}/ folder. iVQA ships no video archive: download each clip from `
        + `YouTube into raw/ivqa/${VIDEO_FOLDER}/<video_id>_<start>_<end>.mp4`);
    }
    const byStem = new Map<string, string>();
    for (const name of readdirSync(raw.resolve('ivqa', VIDEO_FOLDER)).sort()) {
      const m = VIDEO_FILE.exec(name);
      if (m && !byStem.has(m[1])) byStem.set(m[1], name);
    }
    return new IvqaVideos(byStem);
  }

  /** The clip of (video_id, start, end); start and end are the CSV's text, absent when the CSV has no such columns. */
  find(videoId: string, start?: string, end?: string): MediaRef {
    const stems = start !== undefined && end !== undefined ? [`${videoId}_${start}_${end}`, videoId] : [videoId];
    const name = stems.map((stem) => this.byStem.get(stem)).find((n) => n !== undefined);
    if (!name) throw new BadRecord('unknown-video', `no ${VIDEO_FOLDER}/${stems[0]}.{mp4,webm,mkv} (the clip was not downloaded or is gone from YouTube)`);
    return { kind: 'video', source: 'ivqa', path: `${VIDEO_FOLDER}/${name}` };
  }
}
