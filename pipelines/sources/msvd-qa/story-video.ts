/** Renders a video story (video-stories.ts) as a real video file in a dataset's container. */
import { availableParallelism } from 'node:os';
import pLimit from 'p-limit';
import { encodeVideo, type VideoCodec, type VideoContainer } from '../../media/video-encode.ts';
import { renderScene } from '../../sample/scene.ts';
import { STORY_FPS, storyScenes, type VideoStory } from './video-stories.ts';

export interface StoryVideoFormat {
  codec: VideoCodec;
  container: VideoContainer;
}

/** MSVD's YouTubeClips are AVI files with MPEG-4 Part 2 video; MSR-VTT and YouTube downloads are H.264 MP4. */
export const AVI_XVID: StoryVideoFormat = { codec: 'mpeg4', container: 'avi' };
export const MP4_H264: StoryVideoFormat = { codec: 'h264', container: 'mp4' };

/** Mirrors encode all their videos at once; one ffmpeg per core is as fast and kinder to neighbours. */
const encoders = pLimit(availableParallelism());

/** 112x112 frames (7 cells of 16 px), 3 s at 4 fps. */
export function storyVideo(story: VideoStory, format: StoryVideoFormat): Promise<Buffer> {
  return encoders(async () => {
    const frames = await Promise.all(storyScenes(story).map((scene) => renderScene(scene, { format: 'png' })));
    return encodeVideo(frames, { fps: STORY_FPS, ...format });
  });
}
