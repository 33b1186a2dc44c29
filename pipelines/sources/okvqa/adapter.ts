/**
 * The `okvqa` source: OK-VQA on COCO 2014 images, giving `okvqa` and `okvqa-qg` through the VQA
 * reader shared with VQAv2 (same record convention, see vqav2/vqa-reader.ts). OK-VQA files have
 * no multiple_choice_answer, so the QG input answer is the most frequent one. Per split: the
 * official zips or their extracted JSON (LAVIS re-hosts val that way), else LAVIS's okvqa_train.json.
 */
import type { RawAccess } from '../../raw/access.ts';
import { oneByOne } from '../common/output-batches.ts';
import type { AdapterOutput, SourceAdapter } from '../types.ts';
import { readVqaSplits } from '../vqav2/vqa-splits.ts';
import { OKVQA_FILES } from './files.ts';
import { spec } from './spec.ts';

const NAMES = { source: 'okvqa', vqa: 'okvqa', qg: 'okvqa-qg' };

function read(raw: RawAccess): AsyncIterable<AdapterOutput> {
  return oneByOne(readVqaSplits(raw, NAMES, OKVQA_FILES));
}

export const adapter: SourceAdapter = { spec, read };
