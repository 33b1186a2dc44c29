/**
 * Ten distinct true captions of a scene, as NoCaps collects per image. The shared caption
 * generator phrases a scene a few ways per call, so calls are repeated until ten captions differ
 * in more than capitalisation and the final period.
 */
import { sceneCaptions } from '../../sample/captions.ts';
import type { Scene } from '../../sample/scene.ts';

const normal = (caption: string) => caption.toLowerCase().replace(/\.$/, '');

export function distinctCaptions(scene: Scene, n: number, next: () => number): string[] {
  const chosen = new Map<string, string>();
  for (let round = 0; chosen.size < n; round++) {
    if (round > 50) throw new Error(`only ${chosen.size} distinct captions found for ${JSON.stringify(scene)}`);
    for (const caption of sceneCaptions(scene, 5, next)) {
      if (chosen.size < n && !chosen.has(normal(caption))) chosen.set(normal(caption), caption);
    }
  }
  return [...chosen.values()];
}
