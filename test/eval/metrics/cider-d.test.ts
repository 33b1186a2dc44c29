import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { ciderD, type CaptionedImage } from '../../../trainer/eval/metrics/cider-d.ts';

const words = (caption: string) => (caption === '' ? [] : caption.split(' '));
const image = (candidate: string, references: string[]): CaptionedImage =>
  ({ candidate: words(candidate), references: references.map(words) });
const close = (a: number, b: number, tolerance = 1e-12) => Math.abs(a - b) <= tolerance;

test('hand-computed two-image corpus', () => {
  // N = 2 images, so idf = ln 2 - ln df: "a" is in both images' references (weight 0), every other
  // n-gram in one (weight ln 2). Image A, candidate "a cat" against
  //   "a cat sits": unigram and bigram cosines 1/sqrt2 (cat . cat / (|cat| |cat, sits|)), no tri/4-grams,
  //                 bigram counts 1 vs 2 -> penalty exp(-1/72);
  //   "a cat":      cosines 1 and 1, penalty 1.
  //   -> 10 x mean over 4 orders of mean over 2 references = 2.5 (1 + exp(-1/72)/sqrt2).
  // Image B, candidate "a dog" against "a dog runs": 10 x (2 x exp(-1/72)/sqrt2) / 4 = 5 exp(-1/72)/sqrt2.
  const penalty = Math.exp(-1 / 72);
  const expectedA = 2.5 * (1 + penalty / Math.SQRT2);
  const expectedB = 5 * penalty / Math.SQRT2;
  const result = ciderD([image('a cat', ['a cat sits', 'a cat']), image('a dog', ['a dog runs'])]);
  assert.ok(close(result.perImage[0], expectedA), `${result.perImage[0]} vs ${expectedA}`);
  assert.ok(close(result.perImage[1], expectedB), `${result.perImage[1]} vs ${expectedB}`);
  assert.ok(close(result.score, (expectedA + expectedB) / 2));
  assert.ok(close(result.score, 3.8650765, 1e-6));
});

test('the clipping: repeating a matched word does not raise the score', () => {
  const corpus = (candidate: string) => ciderD([image(candidate, ['a cat sits']), image('x', ['a dog runs'])]).perImage[0];
  assert.ok(corpus('cat cat cat') <= corpus('cat sits'));
});

test('a candidate equal to its references scores the maximum 10 when all four orders have weight', () => {
  const result = ciderD([
    image('red fox jumps high', ['red fox jumps high', 'red fox jumps high']),
    image('blue whale swims deep', ['blue whale swims deep']),
  ]);
  assert.ok(close(result.perImage[0], 10) && close(result.perImage[1], 10));
});

test('a one-image corpus scores 0 (every reference n-gram is in every image), as in the official tool', () => {
  assert.equal(ciderD([image('a cat', ['a cat'])]).score, 0);
});

test('an empty candidate scores 0', () => {
  const result = ciderD([image('', ['a cat sits']), image('a dog', ['a dog runs'])]);
  assert.equal(result.perImage[0], 0);
});

const token = fc.constantFrom('a', 'man', 'dog', 'the', 'on', 'red', 'bike', 'street', 'riding', 'of');
const caption = fc.array(token, { maxLength: 9 });
const captionedImage = fc.record({ candidate: caption, references: fc.array(caption, { minLength: 1, maxLength: 5 }) });
const corpus = fc.array(captionedImage, { minLength: 1, maxLength: 6 });

test('properties: every score in [0, 10]; the corpus score is the mean over images', () => {
  fc.assert(fc.property(corpus, (images) => {
    const { score, perImage } = ciderD(images);
    assert.ok(perImage.every((s) => s >= 0 && s <= 10 + 1e-9));
    assert.ok(close(score, perImage.reduce((a, b) => a + b, 0) / perImage.length));
  }));
});

test('property: a candidate identical to all references is the maximum for that reference set', () => {
  fc.assert(fc.property(corpus, fc.array(token, { minLength: 1, maxLength: 9 }), caption, fc.integer({ min: 1, max: 4 }),
    (others, sentence, rival, copies) => {
      const references = Array.from({ length: copies }, () => sentence);
      const withCandidate = (candidate: string[]) => ciderD([{ candidate, references }, ...others]).perImage[0];
      assert.ok(withCandidate(rival) <= withCandidate(sentence) + 1e-12);
    }));
});

test('property: symmetric under the order of references and of images', () => {
  fc.assert(fc.property(corpus, fc.nat(), (images, seed) => {
    const rotate = <T>(xs: readonly T[]) => xs.map((_, i) => xs[(i + seed) % xs.length]);
    const base = ciderD(images).perImage;
    const referencesRotated = ciderD(images.map((im) => ({ ...im, references: rotate(im.references) }))).perImage;
    base.forEach((s, i) => assert.ok(close(s, referencesRotated[i])));
    const imagesRotated = ciderD(rotate(images)).perImage;
    rotate(base).forEach((s, i) => assert.ok(close(s, imagesRotated[i])));
  }));
});
