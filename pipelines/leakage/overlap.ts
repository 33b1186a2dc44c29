/**
 * Which images of held-out evaluation splits also occur in held-in training splits: exactly (same
 * content key) or nearly (perceptual hashes within a Hamming threshold). Pure: the caller supplies
 * the image occurrences read from shards and the media store.
 */
import { hamming64, parseHash64, type Hash64 } from './hamming.ts';

export interface ImageUse {
  dataset: string;
  split: string;
  recordId: string;
  key: string;
  phash: string;
}

export interface OverlapExample {
  heldOutRecord: string;
  heldInRecord: string;
  key: string;
  distance: number;
}

export interface DatasetPairOverlap {
  heldOut: string;
  heldOutSplit: string;
  heldIn: string;
  /** Distinct held-out images whose content key also occurs in the held-in dataset. */
  exactImages: number;
  /** Distinct held-out images within the threshold of a held-in image, excluding exact ones. */
  nearImages: number;
  examples: OverlapExample[];
}

export interface OverlapReport {
  threshold: number;
  heldOutImages: Record<string, number>;
  pairs: DatasetPairOverlap[];
}

/** Default near-duplicate threshold on 64-bit DCT perceptual hashes. */
export const NEAR_DUPLICATE_BITS = 10;

interface HeldInImage {
  key: string;
  hash: Hash64;
  uses: Map<string, string>;
}

function indexHeldIn(heldIn: Iterable<ImageUse>): Map<string, HeldInImage> {
  const byKey = new Map<string, HeldInImage>();
  for (const use of heldIn) {
    let image = byKey.get(use.key);
    if (!image) {
      image = { key: use.key, hash: parseHash64(use.phash), uses: new Map() };
      byKey.set(use.key, image);
    }
    if (!image.uses.has(use.dataset)) image.uses.set(use.dataset, use.recordId);
  }
  return byKey;
}

export function findOverlap(
  heldIn: Iterable<ImageUse>,
  heldOut: Iterable<ImageUse>,
  options: { threshold?: number; examplesPerPair?: number } = {},
): OverlapReport {
  const threshold = options.threshold ?? NEAR_DUPLICATE_BITS;
  const maxExamples = options.examplesPerPair ?? 5;
  const heldInImages = [...indexHeldIn(heldIn).values()];
  const byKey = new Map(heldInImages.map((i) => [i.key, i]));
  const pairs = new Map<string, DatasetPairOverlap & { exactKeys: Set<string>; nearKeys: Set<string> }>();
  const heldOutImages: Record<string, Set<string>> = {};
  const nearCache = new Map<string, { image: HeldInImage; distance: number }[]>();

  const pairFor = (use: ImageUse, heldInDataset: string) => {
    const id = `${use.dataset}\0${use.split}\0${heldInDataset}`;
    let pair = pairs.get(id);
    if (!pair) {
      pair = { heldOut: use.dataset, heldOutSplit: use.split, heldIn: heldInDataset, exactImages: 0, nearImages: 0, examples: [], exactKeys: new Set(), nearKeys: new Set() };
      pairs.set(id, pair);
    }
    return pair;
  };

  for (const use of heldOut) {
    (heldOutImages[`${use.dataset}/${use.split}`] ??= new Set()).add(use.key);
    const exact = byKey.get(use.key);
    if (exact) {
      for (const [dataset, recordId] of exact.uses) {
        const pair = pairFor(use, dataset);
        if (!pair.exactKeys.has(use.key)) {
          pair.exactKeys.add(use.key);
          if (pair.examples.length < maxExamples) pair.examples.push({ heldOutRecord: use.recordId, heldInRecord: recordId, key: use.key, distance: 0 });
        }
      }
      continue;
    }
    let near = nearCache.get(use.key);
    if (!near) {
      const hash = parseHash64(use.phash);
      near = heldInImages.map((image) => ({ image, distance: hamming64(hash, image.hash) })).filter((m) => m.distance <= threshold);
      nearCache.set(use.key, near);
    }
    for (const { image, distance } of near) {
      for (const [dataset, recordId] of image.uses) {
        const pair = pairFor(use, dataset);
        if (!pair.nearKeys.has(use.key)) {
          pair.nearKeys.add(use.key);
          if (pair.examples.length < maxExamples) pair.examples.push({ heldOutRecord: use.recordId, heldInRecord: recordId, key: image.key, distance });
        }
      }
    }
  }

  return {
    threshold,
    heldOutImages: Object.fromEntries(Object.entries(heldOutImages).map(([k, v]) => [k, v.size])),
    pairs: [...pairs.values()]
      .map(({ exactKeys, nearKeys, ...pair }) => ({ ...pair, exactImages: exactKeys.size, nearImages: nearKeys.size }))
      .sort((a, b) => a.heldOut.localeCompare(b.heldOut) || a.heldIn.localeCompare(b.heldIn)),
  };
}
