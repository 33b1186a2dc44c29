/**
 * The `msrvtt-qa` source: MSRVTT-QA questions on MSR-VTT videos. spec.ts describes the layouts
 * and what is quarantined where.
 */
import type { RawAccess } from '../../raw/access.ts';
import { ArchiveVideos } from '../msvd-qa/archive-videos.ts';
import { readVideoQa } from '../msvd-qa/video-qa-reader.ts';
import type { AdapterOutput, SourceAdapter } from '../types.ts';
import { spec, TEST_VIDEOS_ZIP, TRAIN_VAL_VIDEOS_ZIP } from './spec.ts';

async function* read(raw: RawAccess): AsyncIterable<AdapterOutput> {
  const videos = await ArchiveVideos.index(raw, 'msrvtt-qa', [TRAIN_VAL_VIDEOS_ZIP, TEST_VIDEOS_ZIP]);
  yield* readVideoQa(raw, {
    source: 'msrvtt-qa',
    dataset: 'msrvtt-qa',
    videoById: (videoId) => videos.find(`video${videoId}.mp4`),
    videoByName: (name) => videos.find(name),
  });
}

export const adapter: SourceAdapter = { spec, read };
