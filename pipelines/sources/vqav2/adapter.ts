/**
 * The `vqav2` source: VQAv2 questions on COCO 2014 images, giving `vqav2` and, from the same
 * annotations, `vqav2-qg` (see vqa-reader.ts for the record convention). Per split the adapter
 * reads the official questions + annotations (zipped or extracted) when raw/vqav2 has them, else
 * LAVIS's vqa_<split>.json. Images come from the `coco` source.
 */
import type { RawAccess } from '../../raw/access.ts';
import { oneByOne } from '../common/output-batches.ts';
import type { AdapterOutput, SourceAdapter } from '../types.ts';
import { VQAV2_FILES } from './files.ts';
import { spec } from './spec.ts';
import { readVqaSplits } from './vqa-splits.ts';

const NAMES = { source: 'vqav2', vqa: 'vqav2', qg: 'vqav2-qg' };

function read(raw: RawAccess): AsyncIterable<AdapterOutput> {
  return oneByOne(readVqaSplits(raw, NAMES, VQAV2_FILES));
}

export const adapter: SourceAdapter = { spec, read };
