/**
 * The `msvd-qa` source: MSVD-QA questions on MSVD's YouTube clips. spec.ts describes the layouts
 * and what is quarantined where.
 */
import type { RawAccess } from '../../raw/access.ts';
import { BadRecord } from '../common/fields.ts';
import type { AdapterOutput, SourceAdapter } from '../types.ts';
import { ArchiveVideos } from './archive-videos.ts';
import { spec, YOUTUBE_CLIPS_TAR } from './spec.ts';
import { readVideoQa } from './video-qa-reader.ts';
import { parseYoutubeMapping, YOUTUBE_MAPPING_FILE } from './youtube-mapping.ts';

async function clipNames(raw: RawAccess): Promise<Map<number, string> | null> {
  if (!raw.exists('msvd-qa', YOUTUBE_MAPPING_FILE)) return null;
  return parseYoutubeMapping(await raw.readText('msvd-qa', YOUTUBE_MAPPING_FILE));
}

async function* read(raw: RawAccess): AsyncIterable<AdapterOutput> {
  const videos = await ArchiveVideos.index(raw, 'msvd-qa', [YOUTUBE_CLIPS_TAR]);
  const clips = await clipNames(raw);
  yield* readVideoQa(raw, {
    source: 'msvd-qa',
    dataset: 'msvd-qa',
    videoById(videoId) {
      if (!clips) {
        throw new Error(`msvd-qa: the official QA files name videos vid<N>, which needs ${YOUTUBE_MAPPING_FILE}; run ingest for "msvd-qa"`);
      }
      const clip = clips.get(videoId);
      if (!clip) throw new BadRecord('unknown-video', `video_id ${videoId} (vid${videoId}) is not in ${YOUTUBE_MAPPING_FILE}`);
      return videos.find(`${clip}.avi`);
    },
    videoByName: (name) => videos.find(name),
  });
}

export const adapter: SourceAdapter = { spec, read };
