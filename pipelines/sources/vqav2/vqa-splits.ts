/**
 * Layout detection per split for VQA-format sources: the official pair of questions and
 * annotations files if present, else LAVIS's single file, else an error saying what is missing.
 */
import type { RawAccess } from '../../raw/access.ts';
import { openJsonInput } from '../common/json-input.ts';
import type { AdapterOutput } from '../types.ts';
import type { VqaSplitFiles } from './files.ts';
import { readLavisVqa } from './lavis-vqa-reader.ts';
import { readOfficialVqa, type VqaDatasets } from './vqa-reader.ts';

const describe = (files: VqaSplitFiles) =>
  [files.questions, files.annotations].map((l) => (l.archive ? `${l.archive} (or ${l.member})` : l.member)).join(' + ');

/** The records of every split, a batch at a time (see oneByOne). */
export async function* readVqaSplits(raw: RawAccess, names: VqaDatasets, splits: VqaSplitFiles[]): AsyncGenerator<AdapterOutput[]> {
  for (const files of splits) {
    const questions = await openJsonInput(raw, names.source, files.questions);
    const annotations = await openJsonInput(raw, names.source, files.annotations);
    if (questions && annotations) {
      yield* readOfficialVqa(raw, names, files.split, questions, annotations);
      continue;
    }
    questions?.stream.destroy();
    annotations?.stream.destroy();
    if (questions || annotations) {
      throw new Error(`${names.source}: ${files.split} has ${(questions ?? annotations)!.label} but not its partner; `
        + `the official layout needs ${describe(files)}. Run ingest for "${names.source}" again`);
    }
    const lavis = files.lavis ? await openJsonInput(raw, names.source, { member: files.lavis }) : null;
    if (!lavis) {
      const alternative = files.lavis ? ` or ${files.lavis} (LAVIS)` : '';
      throw new Error(`${names.source}: no ${files.split} annotations in raw/${names.source}: expected ${describe(files)} `
        + `(official)${alternative}. Run ingest for "${names.source}"`);
    }
    yield* readLavisVqa(raw, names, files.split, lavis);
  }
}
