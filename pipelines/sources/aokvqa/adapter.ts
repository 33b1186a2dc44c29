/**
 * The `aokvqa` source: A-OKVQA on COCO images, giving `aokvqa` and `aokvqa-qg` (record
 * convention in record-reader.ts). The official aokvqa_v1p0.tar.gz is streamed (gzip cannot be
 * read at an offset); without it, the extracted aokvqa_v1p0_{train,val}.json, which is also
 * LAVIS's layout (the same records plus an `image` path).
 */
import type { RawAccess } from '../../raw/access.ts';
import { tarGzEntries } from '../../raw/targz.ts';
import { openJsonInput } from '../common/json-input.ts';
import type { AdapterOutput, SourceAdapter } from '../types.ts';
import { AOKVQA_SPLITS, AOKVQA_TARBALL, splitFile } from './files.ts';
import { readAokvqaSplit } from './record-reader.ts';
import { spec } from './spec.ts';

async function* readTarball(raw: RawAccess): AsyncIterable<AdapterOutput> {
  const seen = new Set<string>();
  for await (const entry of tarGzEntries(raw.resolve('aokvqa', AOKVQA_TARBALL), `aokvqa: ${AOKVQA_TARBALL}`)) {
    const split = AOKVQA_SPLITS.find((s) => splitFile(s) === entry.name);
    if (!split) continue;
    seen.add(split);
    yield* readAokvqaSplit(raw, split, entry.body, AOKVQA_TARBALL, `${AOKVQA_TARBALL}:${entry.name}`);
  }
  const missing = AOKVQA_SPLITS.filter((s) => !seen.has(s)).map(splitFile);
  if (missing.length > 0) {
    throw new Error(`aokvqa: ${AOKVQA_TARBALL} has no ${missing.join(', ')}; it is not the official archive, fetch it again with ingest`);
  }
}

async function* readExtracted(raw: RawAccess): AsyncIterable<AdapterOutput> {
  for (const split of AOKVQA_SPLITS) {
    const input = await openJsonInput(raw, 'aokvqa', { member: splitFile(split) });
    if (!input) {
      throw new Error(`aokvqa: raw/aokvqa has neither ${AOKVQA_TARBALL} (official) nor ${splitFile(split)} (extracted or LAVIS); `
        + 'run ingest for "aokvqa"');
    }
    yield* readAokvqaSplit(raw, split, input.stream, input.file, input.label);
  }
}

function read(raw: RawAccess): AsyncIterable<AdapterOutput> {
  return raw.exists('aokvqa', AOKVQA_TARBALL) ? readTarball(raw) : readExtracted(raw);
}

export const adapter: SourceAdapter = { spec, read };
