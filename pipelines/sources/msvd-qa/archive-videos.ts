/**
 * Finds videos by file name inside a source's video archives (MSVD's YouTubeClips.tar, MSR-VTT's
 * two zips). Annotations name a video by its file name only (`-4wsuPCjDBc_5_15.avi`,
 * `video7010.mp4`), whatever folder the archive puts it in, so the index is by base name.
 */
import path from 'node:path';
import type { RawAccess } from '../../raw/access.ts';
import type { MediaRef } from '../types.ts';
import { BadRecord } from '../common/fields.ts';

const VIDEO_FILE = /\.(avi|mp4|webm|mkv|mov)$/i;

export class ArchiveVideos {
  private constructor(private readonly archives: string[], private readonly byName: Map<string, MediaRef>) {}

  /** Indexes every archive of `archives` that raw/<source> holds; at least one must be there. */
  static async index(raw: RawAccess, source: string, archives: string[]): Promise<ArchiveVideos> {
    const present = archives.filter((archive) => raw.exists(source, archive));
    if (present.length === 0) {
      throw new Error(`${source}: raw/${source} has none of the video archives ${archives.join(', ')}; run ingest for "${source}"`);
    }
    const byName = new Map<string, MediaRef>();
    for (const archive of present) {
      for (const member of await raw.members(source, archive)) {
        const name = path.posix.basename(member);
        if (VIDEO_FILE.test(name) && !byName.has(name)) byName.set(name, { kind: 'video', source, path: archive, member });
      }
    }
    return new ArchiveVideos(present, byName);
  }

  /** The video called `name`; a name no archive holds is an `unknown-video` record error. */
  find(name: string): MediaRef {
    const ref = this.byName.get(path.posix.basename(name));
    if (!ref) throw new BadRecord('unknown-video', `no video "${name}" in ${this.archives.join(' or ')}`);
    return ref;
  }
}
