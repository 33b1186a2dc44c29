/**
 * MSVD-QA's youtube_mapping.txt: one line per clip, `<YouTube clip name> vid<N>`, e.g.
 * `-4wsuPCjDBc_5_15 vid1`. QA records name videos by N; YouTubeClips.tar names them by clip.
 */

export const YOUTUBE_MAPPING_FILE = 'youtube_mapping.txt';

/** vid number → clip name. A malformed line is an error: the file is corrupt, not one record. */
export function parseYoutubeMapping(text: string): Map<number, string> {
  const clips = new Map<number, string>();
  text.split('\n').forEach((line, i) => {
    if (line.trim() === '') return;
    const m = /^(\S+)\s+vid(\d+)$/.exec(line.trim());
    if (!m) throw new Error(`${YOUTUBE_MAPPING_FILE} line ${i + 1}: expected "<clip> vid<N>", got ${JSON.stringify(line)}`);
    clips.set(Number(m[2]), m[1]);
  });
  return clips;
}
