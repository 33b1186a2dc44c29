/**
 * The `coco` source: COCO 2014 images with captions under Karpathy's split (coco-caption).
 * Layout, from what raw/coco holds: Karpathy's caption_datasets.zip (or its extracted
 * dataset_coco.json) is the official input; without it, LAVIS's coco_karpathy_*.json files.
 */
import type { RawAccess } from '../../raw/access.ts';
import type { AdapterOutput, SourceAdapter } from '../types.ts';
import { readJsonInput } from './json-input.ts';
import { readKarpathy } from './karpathy-reader.ts';
import { LAVIS_KARPATHY_FILES, readLavisEval, readLavisTrain } from './lavis-karpathy-reader.ts';
import { spec } from './spec.ts';

async function* read(raw: RawAccess): AsyncIterable<AdapterOutput> {
  const karpathy = await readJsonInput(raw, 'coco', { archive: 'caption_datasets.zip', member: 'dataset_coco.json' });
  if (karpathy) {
    yield* readKarpathy(raw, karpathy);
    return;
  }
  const train = await readJsonInput(raw, 'coco', { member: LAVIS_KARPATHY_FILES.train });
  const val = await readJsonInput(raw, 'coco', { member: LAVIS_KARPATHY_FILES.val });
  const test = await readJsonInput(raw, 'coco', { member: LAVIS_KARPATHY_FILES.test });
  if (!train && !val && !test) {
    throw new Error('coco: raw/coco has neither caption_datasets.zip (Karpathy split) nor LAVIS coco_karpathy_{train,val,test}.json; '
      + 'run ingest for "coco"');
  }
  if (train) yield* readLavisTrain(raw, train);
  if (val) yield* readLavisEval(raw, val, 'val');
  if (test) yield* readLavisEval(raw, test, 'test');
}

export const adapter: SourceAdapter = { spec, read };
