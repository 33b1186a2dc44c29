/**
 * Background colours for the held-out sample images. A scene rendered with renderScene's default
 * background gives the same bytes wherever it is drawn, and the sample scene space is small, so
 * held-out images would be byte-identical to COCO sample images by chance (28 such groups before
 * this). Each held-out source lightens the background by a few levels instead: invisible to the
 * patch encoder, but the exact-hash leakage join then finds only the overlaps planted on purpose
 * (visdial/make-sample.ts, and VSR's own COCO images). Scenes of the same kind still look alike,
 * so the perceptual-hash join matches them whatever the background.
 */
type Rgb = readonly [number, number, number];

const STEP = 3;
const ORDER = ['vizwiz', 'textvqa', 'gqa', 'nocaps', 'flickr30k', 'scienceqa', 'iconqa', 'hateful-memes', 'visdial'];

export function sampleBackground(source: string): Rgb {
  const k = ORDER.indexOf(source) + 1;
  if (k === 0) throw new Error(`no sample background for "${source}"`);
  return [24 + STEP * k, 24 + STEP * k, 32 + STEP * k];
}
