/**
 * The `coco` source: COCO 2014 images with captions under Karpathy's split (coco-caption).
 * Layout, from what raw/coco holds: Karpathy's caption_datasets.zip (or its extracted
 * dataset_coco.json) is the official input; without it, LAVIS's coco_karpathy_*.json files.
 */
import type { RawAccess } from '../../raw/access.ts';
import type { AdapterOutput, SourceAdapter } from '../types.ts';
import { openJsonInput } from '../common/json-input.ts';
import { readKarpathy } from './karpathy-reader.ts';
import { LAVIS_KARPATHY_FILES, readLavisEval, readLavisTrain } from './lavis-karpathy-reader.ts';
import { spec } from './spec.ts';

async function* readLavis(raw: RawAccess): AsyncIterable<AdapterOutput> {
  const present = Object.values(LAVIS_KARPATHY_FILES).filter((file) => raw.exists('coco', file));
  if (present.length === 0) {
    throw new Error('coco: raw/coco has neither caption_datasets.zip (Karpathy split) nor LAVIS coco_karpathy_{train,val,test}.json; '
      + 'run ingest for "coco"');
  }
  const open = (member: string) => openJsonInput(raw, 'coco', { member });
  const train = await open(LAVIS_KARPATHY_FILES.train);
  if (train) yield* readLavisTrain(raw, train);
  for (const split of ['val', 'test'] as const) {
    const input = await open(LAVIS_KARPATHY_FILES[split]);
    if (input) yield* readLavisEval(raw, input, split);
  }
}

async function* read(raw: RawAccess): AsyncIterable<AdapterOutput> {
  const karpathy = await openJsonInput(raw, 'coco', { archive: 'caption_datasets.zip', member: 'dataset_coco.json' });
  yield* karpathy ? readKarpathy(raw, karpathy) : readLavis(raw);
}

export const adapter: SourceAdapter = { spec, read };
