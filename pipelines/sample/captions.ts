/**
 * Varied human-style captions of a scene, every one of them true: the count, colour, shape and
 * position are stated (or, in a few phrasings, left out) but never wrong. Word order and wording
 * vary the way COCO's five annotators do, so a captioner cannot learn a single template.
 */
import { COUNT_WORDS, describeScene, plural, type Scene } from './scene.ts';

const WHERE: Record<Scene['position'], string[]> = {
  left: ['on the left', 'at the left side of the image', 'along the left edge', 'in the left part of the picture', 'on the left hand side'],
  right: ['on the right', 'at the right side of the image', 'along the right edge', 'in the right part of the picture', 'on the right hand side'],
  top: ['at the top', 'along the top edge', 'near the top of the image', 'in the upper part of the picture'],
  bottom: ['at the bottom', 'along the bottom edge', 'near the bottom of the image', 'in the lower part of the picture'],
};

function countPhrases(scene: Scene): string[] {
  const vertical = scene.position === 'left' || scene.position === 'right';
  switch (scene.count) {
    case 1: return ['one', 'a', 'a single', 'a lone'];
    case 2: return ['two', 'a pair of'];
    case 3: return ['three', vertical ? 'a column of three' : 'a row of three'];
  }
}

/** How several shapes are laid out: one band, vertical on the left and right, horizontal at top and bottom. */
function arrangement(scene: Scene): string | null {
  if (scene.count === 1) return null;
  return scene.position === 'left' || scene.position === 'right' ? 'stacked vertically' : 'side by side';
}

/** Every true phrasing this module knows for the scene, the canonical describeScene first. */
export function captionVariants(scene: Scene, pickIndex: (n: number) => number): string[] {
  const choose = (items: string[]) => items[pickIndex(items.length)];
  const shapes = plural(scene);
  const count = () => choose(countPhrases(scene));
  const where = () => choose(WHERE[scene.position]);
  const verb = scene.count === 1 ? 'is' : 'are';
  const variants = [
    describeScene(scene),
    `${count()} ${scene.color} ${shapes} ${where()}`,
    `${where()} there ${verb} ${count()} ${scene.color} ${shapes}`,
    `the image shows ${count()} ${scene.color} ${shapes} ${where()}`,
    `a dark background with ${count()} ${scene.color} ${shapes} ${where()}`,
    `a picture of ${count()} ${scene.color} ${shapes} ${where()}`,
    `${COUNT_WORDS[scene.count]} ${shapes} colored ${scene.color} ${where()}`,
    `${scene.count === 1 ? 'a ' : ''}${scene.color} ${shapes} ${where()} against a dark background`,
  ];
  const layout = arrangement(scene);
  if (layout) variants.push(`${count()} ${scene.color} ${shapes} ${layout} ${where()}`);
  return variants;
}

/**
 * `n` distinct captions in COCO's raw style: most start with a capital letter and end with a
 * period, a few are left lower-case without one, as real annotators wrote them.
 */
export function sceneCaptions(scene: Scene, n: number, next: () => number): string[] {
  const pickIndex = (k: number) => Math.floor(next() * k);
  const pool = [...new Set(captionVariants(scene, pickIndex))];
  if (n > pool.length) throw new Error(`asked for ${n} captions, only ${pool.length} distinct phrasings exist`);
  const chosen: string[] = [];
  while (chosen.length < n) chosen.push(pool.splice(pickIndex(pool.length), 1)[0]);
  return chosen.map((text) => (next() < 0.85 ? `${text[0].toUpperCase()}${text.slice(1)}.` : text));
}

/** Karpathy's tokens: lower-case words without punctuation. */
export const captionTokens = (raw: string): string[] => raw.toLowerCase().replace(/[^a-z0-9 ]/g, ' ').split(/\s+/).filter(Boolean);
