/**
 * CIDEr-D (Vedantam et al. 2015) as the COCO caption evaluation computes it (pycocoevalcap's `Cider`,
 * which is the -D variant), over captions already tokenized with `cocoCaptionTokens`:
 *
 * - n-grams of orders 1-4, each order its own TF-IDF vector;
 * - document frequency of an n-gram = the number of images whose reference set contains it, counted
 *   over the evaluated corpus only; idf = ln(#images) - ln(max(1, df)), so an n-gram found in every
 *   image's references weighs 0 and a candidate n-gram found in none weighs ln(#images);
 * - per order, the candidate's vector against each reference's: sum over the candidate's n-grams of
 *   min(candidate weight, reference weight) x reference weight (the "-D" clipping), divided by both
 *   norms (0 when either norm is 0), times the Gaussian length penalty exp(-delta^2 / (2 x 6^2));
 * - image score = 10 x the mean over the 4 orders of the mean over references;
 * - corpus score = the mean over images.
 *
 * Consequences worth knowing: a corpus of one image scores 0 (every reference n-gram has df = #images),
 * and scores depend on which other images are evaluated with an image (NoCaps per-domain scores are
 * separate corpora, see nocaps-domains.ts).
 */

const MAX_ORDER = 4;
const LENGTH_PENALTY_SIGMA = 6;
/** pycocoevalcap multiplies by 10 (papers then report x100 of that, e.g. 1.199 -> 119.9). */
const CIDER_SCALE = 10;
/** Joins an n-gram's tokens into a map key; tokens never contain it (they come from whitespace splits). */
const NGRAM_JOINER = '\u0000';

export interface CaptionedImage {
  candidate: readonly string[];
  /** At least one reference. */
  references: readonly (readonly string[])[];
}

export interface CiderDResult {
  /** Mean over images, on pycocoevalcap's scale (identical captions score up to 10). */
  score: number;
  perImage: number[];
}

/** Per order (index n - 1): n-gram key -> count. */
type NgramCounts = Map<string, number>[];

interface TfIdfVector {
  weights: Map<string, number>[];
  norms: number[];
  /**
   * pycocoevalcap's "length" adds up counts only where `n == 1` for a 0-based order index, i.e. the
   * number of *bigrams* (tokens - 1, and 0 for an empty caption). The length penalty therefore sees
   * the token-count difference except when one side is empty; reproduced as the tool has it.
   */
  bigramCount: number;
}

function ngramCounts(tokens: readonly string[]): NgramCounts {
  return Array.from({ length: MAX_ORDER }, (_, order) => {
    const counts = new Map<string, number>();
    for (let start = 0; start + order < tokens.length; start++) {
      const key = tokens.slice(start, start + order + 1).join(NGRAM_JOINER);
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    return counts;
  });
}

/** Per order: n-gram -> number of images whose references contain it. */
function documentFrequencies(referenceCounts: readonly NgramCounts[][]): Map<string, number>[] {
  const frequencies = Array.from({ length: MAX_ORDER }, () => new Map<string, number>());
  for (const imageReferences of referenceCounts) {
    frequencies.forEach((frequency, order) => {
      const inImage = new Set(imageReferences.flatMap((counts) => [...counts[order].keys()]));
      for (const ngram of inImage) frequency.set(ngram, (frequency.get(ngram) ?? 0) + 1);
    });
  }
  return frequencies;
}

function tfIdf(counts: NgramCounts, frequencies: readonly Map<string, number>[], logImageCount: number): TfIdfVector {
  const weights = counts.map((orderCounts, order) => new Map([...orderCounts].map(([ngram, count]) =>
    [ngram, count * (logImageCount - Math.log(Math.max(1, frequencies[order].get(ngram) ?? 0)))])));
  const norms = weights.map((orderWeights) => Math.sqrt([...orderWeights.values()].reduce((sum, w) => sum + w * w, 0)));
  const bigramCount = [...counts[1].values()].reduce((sum, count) => sum + count, 0);
  return { weights, norms, bigramCount };
}

/** Per-order clipped cosine similarity with the length penalty. */
function similarity(candidate: TfIdfVector, reference: TfIdfVector): number[] {
  const delta = candidate.bigramCount - reference.bigramCount;
  const lengthPenalty = Math.exp(-(delta * delta) / (2 * LENGTH_PENALTY_SIGMA ** 2));
  return candidate.weights.map((candidateWeights, order) => {
    const normProduct = candidate.norms[order] * reference.norms[order];
    if (normProduct === 0) return 0;
    let clippedDot = 0;
    for (const [ngram, weight] of candidateWeights) {
      const referenceWeight = reference.weights[order].get(ngram) ?? 0;
      clippedDot += Math.min(weight, referenceWeight) * referenceWeight;
    }
    return (clippedDot / normProduct) * lengthPenalty;
  });
}

const mean = (values: readonly number[]) => values.reduce((sum, v) => sum + v, 0) / values.length;

/** CIDEr-D of every image of one evaluated corpus; document frequencies come from this corpus. */
export function ciderD(images: readonly CaptionedImage[]): CiderDResult {
  const referenceCounts = images.map((image) => image.references.map(ngramCounts));
  const frequencies = documentFrequencies(referenceCounts);
  const logImageCount = Math.log(images.length);
  const perImage = images.map((image, i) => {
    const candidate = tfIdf(ngramCounts(image.candidate), frequencies, logImageCount);
    const perReference = referenceCounts[i].map((counts) => similarity(candidate, tfIdf(counts, frequencies, logImageCount)));
    const perOrder = Array.from({ length: MAX_ORDER }, (_, order) => mean(perReference.map((sims) => sims[order])));
    return CIDER_SCALE * mean(perOrder);
  });
  return { score: mean(perImage), perImage };
}
