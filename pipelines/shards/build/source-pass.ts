/**
 * One pass of a source's adapter: every output is routed to its (dataset, split). Records get
 * their media resolved (concurrently, in a bounded window, results kept in adapter order), their
 * catalog fields and provenance hash, and are appended to the split's shards; quarantines and
 * skips are counted. Nothing is collected: memory holds the window and one batch per split.
 */
import type { MediaOutcome, MediaResolver } from '../../media/media-resolver.ts';
import type { RawAccess } from '../../raw/access.ts';
import type { InstructRecord } from '../../record.ts';
import type { AdapterOutput, Quarantine, SourceAdapter, SourceRecord } from '../../sources/types.ts';
import { recordLabel } from '../record-rows.ts';
import { finishRecord } from './finish-record.ts';
import { OrderedWindow } from './ordered-window.ts';
import type { BuildProgress } from './progress.ts';
import { type ShardSizes, SplitOutput } from './split-output.ts';

export interface SourcePass {
  adapter: SourceAdapter;
  /** Datasets of this source being built; outputs of its other datasets are passed over. */
  building: ReadonlySet<string>;
  raw: RawAccess;
  shardsDir: string;
  sizes: ShardSizes;
  media: MediaResolver;
  sourceSha256: (source: string, file: string) => string | Promise<string>;
  progress: BuildProgress;
  /** Records resolved concurrently. */
  window?: number;
}

export interface DatasetOutput {
  splits: Map<string, SplitOutput>;
  /** Distinct media keys the records point to. */
  keys: Set<string>;
  newImages: number;
  newBytes: number;
}

type Routed =
  | { record: InstructRecord; newImages: number; newBytes: number }
  | { quarantine: Quarantine & { id?: string } }
  | { skip: { dataset: string; split: string; rule: string } }
  | null;

const NO_MEDIA: MediaOutcome = { keys: [], newImages: 0, newBytes: 0 };

async function awaitSha(pass: SourcePass, source: SourceRecord, pending: string | Promise<string>): Promise<string> {
  try {
    return await pending;
  } catch (err) {
    throw new Error(`${recordLabel(source)}: its sourceFile is not a readable raw file of "${pass.adapter.spec.source}" (${(err as Error).message}); fix the adapter`);
  }
}

async function prepareRecord(pass: SourcePass, source: SourceRecord, pendingSha: string | Promise<string>): Promise<Routed> {
  // Images are stored while the source file is hashed: at the start of a pass both hold up the first records.
  const [sha, media] = await Promise.all([
    awaitSha(pass, source, pendingSha),
    source.media.length > 0 ? pass.media.resolve(source.media) : NO_MEDIA,
  ]);
  if ('problem' in media) {
    const { dataset, split, sourceFile, sourceIndex, id } = source;
    return { quarantine: { dataset, split, sourceFile, sourceIndex, id, reason: media.problem.reason, detail: media.problem.detail } };
  }
  return { record: finishRecord(source, media.keys, sha), newImages: media.newImages, newBytes: media.newBytes };
}

function route(pass: SourcePass, out: AdapterOutput): Promise<Routed> | Routed {
  const { datasets, source } = pass.adapter.spec;
  const dataset = 'record' in out ? out.record.dataset : 'quarantine' in out ? out.quarantine.dataset : out.skip.dataset;
  if (!datasets.includes(dataset)) {
    throw new Error(`adapter "${source}" produced an output for dataset "${dataset}", which is not in its spec (${datasets.join(', ')}); fix the adapter`);
  }
  if (!pass.building.has(dataset)) return null;
  if ('record' in out) {
    // The usual case, a known source file and images already stored, needs no waiting.
    const sha = pass.sourceSha256(source, out.record.sourceFile);
    const keys = out.record.media.length === 0 ? [] : pass.media.known(out.record.media);
    if (typeof sha === 'string' && keys) return { record: finishRecord(out.record, keys, sha), newImages: 0, newBytes: 0 };
    return prepareRecord(pass, out.record, sha);
  }
  if ('quarantine' in out) return { quarantine: out.quarantine };
  return { skip: out.skip };
}

export async function runSourcePass(pass: SourcePass): Promise<Map<string, DatasetOutput>> {
  const outputs = new Map<string, DatasetOutput>([...pass.building].map((d) => [d, { splits: new Map(), keys: new Set(), newImages: 0, newBytes: 0 }]));
  const splitOf = (dataset: string, split: string): SplitOutput => {
    const splits = outputs.get(dataset)!.splits;
    let out = splits.get(split);
    if (!out) {
      out = new SplitOutput(pass.shardsDir, dataset, split, pass.sizes);
      splits.set(split, out);
    }
    return out;
  };
  let records = 0;
  let quarantined = 0;
  const window = new OrderedWindow<Routed>(pass.window ?? 64, (item) => {
    if (!item) return undefined;
    if ('record' in item) {
      const dataset = outputs.get(item.record.dataset)!;
      for (const key of item.record.images) dataset.keys.add(key);
      dataset.newImages += item.newImages;
      dataset.newBytes += item.newBytes;
      if (++records % 1000 === 0) pass.progress.update(records, quarantined);
      return splitOf(item.record.dataset, item.record.split).append(item.record);
    }
    if ('quarantine' in item) {
      quarantined++;
      return splitOf(item.quarantine.dataset, item.quarantine.split).quarantine(item.quarantine);
    }
    splitOf(item.skip.dataset, item.skip.split).skip(item.skip.rule);
    return undefined;
  });
  pass.progress.start(pass.adapter.spec.source);
  try {
    for await (const out of pass.adapter.read(pass.raw)) {
      const waiting = window.push(route(pass, out));
      if (waiting) await waiting;
    }
    await window.drain();
    pass.progress.update(records, quarantined);
    return outputs;
  } catch (err) {
    await window.discard();
    for (const dataset of outputs.values()) for (const split of dataset.splits.values()) await split.abort();
    throw err;
  } finally {
    pass.progress.stop();
  }
}
