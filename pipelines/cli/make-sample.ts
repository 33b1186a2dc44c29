/**
 * npm run make-sample [-- --sources coco,vqav2] [--scale N] [--seed S] [--out DIR]
 *
 * Regenerates sample mirrors deterministically. Without --out it rewrites the committed
 * pipelines/sources/<source>/sample/ folders; with --out it writes DIR/<source>/ (larger mirrors
 * for the demo, e.g. --scale 20).
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { makeMirror, sampleSourceIds } from '../sample/mirror.ts';
import { loadSampleMaker, sampleDir } from '../sources/registry.ts';

const USAGE = 'usage: make-sample [--sources a,b] [--scale N] [--seed S] [--out DIR]';

function wholeNumber(text: string, flag: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 0) throw new Error(`${flag} must be a non-negative integer, got "${text}"\n${USAGE}`);
  return n;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      sources: { type: 'string' },
      scale: { type: 'string', default: '1' },
      seed: { type: 'string', default: '1' },
      out: { type: 'string' },
    },
    strict: true,
  });
  const scale = wholeNumber(values.scale, '--scale');
  if (scale === 0) throw new Error(`--scale must be at least 1\n${USAGE}`);
  const seed = wholeNumber(values.seed, '--seed');
  const known = sampleSourceIds();
  const sources = values.sources ? values.sources.split(',').map((s) => s.trim()).filter(Boolean) : known;
  const unknown = sources.filter((s) => !known.includes(s));
  if (unknown.length > 0) {
    throw new Error(`no make-sample.ts for ${unknown.join(', ')}; sources with one: ${known.join(', ')}`);
  }
  // One source's failure does not stop the others; its previous mirror stays as it was.
  const failed: string[] = [];
  for (const source of sources) {
    const target = values.out ? path.resolve(values.out, source) : sampleDir(source);
    const started = Date.now();
    try {
      await makeMirror(await loadSampleMaker(source), target, { scale, seed });
      console.log(`${source}: sample written to ${path.relative(process.cwd(), target) || '.'} in ${Date.now() - started} ms`);
    } catch (err) {
      failed.push(source);
      console.error(`${source}: FAILED, mirror left unchanged: ${(err as Error).stack ?? err}`);
    }
  }
  if (failed.length > 0) throw new Error(`${failed.length} of ${sources.length} sources failed: ${failed.join(', ')}`);
}

main().catch((err: Error) => {
  console.error(`make-sample: ${err.message}`);
  process.exitCode = 1;
});
