/** `npm run inspect -- <dataset>`: its manifest summary and a few records read through the shard reader. */
import path from 'node:path';
import { datasetInfo } from '../../catalog.ts';
import { formatBytes } from '../../fetch/units.ts';
import { MediaReader } from '../../media/media-reader.ts';
import type { InstructRecord } from '../../record.ts';
import { type DatasetManifest, readDatasetManifest } from '../manifest.ts';
import { ShardReader } from '../shard-reader.ts';
import type { InspectContext, InspectView } from './inspect-view.ts';
import { textTable } from './text-table.ts';

export interface ImageInfo {
  key: string;
  width: number | null;
  height: number | null;
  format: string | null;
  bytes: number | null;
}

const fmt = (n: number) => n.toLocaleString('en-US');
const counts = (c: Record<string, number>) => Object.entries(c).map(([k, n]) => `${k} ${fmt(n)}`).join(', ') || 'none';

/** The first `count` records of a split, through the first part's record batches. */
async function examples(shardsDir: string, manifest: DatasetManifest, split: string, count: number): Promise<InstructRecord[]> {
  const shards = manifest.splits[split]?.shards ?? [];
  const out: InstructRecord[] = [];
  for (const shard of shards) {
    const reader = await ShardReader.open(path.join(shardsDir, shard.path));
    try {
      for (let b = 0; b < reader.numBatches && out.length < count; b++) out.push(...(await reader.readBatch(b)).slice(0, count - out.length));
    } finally {
      await reader.close();
    }
    if (out.length >= count) break;
  }
  return out;
}

async function imageInfo(media: MediaReader, key: string): Promise<ImageInfo> {
  if (!media.has(key)) return { key, width: null, height: null, format: null, bytes: null };
  const row = await media.get(key);
  return { key, width: row.width, height: row.height, format: row.format, bytes: row.bytes.length };
}

function summary(m: DatasetManifest): string {
  const inputs = m.rawInputs.reduce((n, i) => n + i.bytes, 0);
  const splits = Object.entries(m.splits).map(([split, s]) => [
    split, fmt(s.records), String(s.shards.length), formatBytes(s.shards.reduce((n, p) => n + p.bytes, 0)), fmt(s.quarantined.total), counts(s.quarantined.reasons), counts(s.skipped),
  ]);
  return [
    `${m.dataset}: ${m.title}`,
    `${m.heldOut ? 'held-out (zero-shot evaluation)' : 'held-in (training)'}; category ${m.category}; task ${m.task}`,
    `license: ${m.license}`,
    `citation: ${m.citation}`,
    `source ${m.source}, adapter version ${m.adapterVersion}; built ${m.builtAt} in ${m.buildSeconds}s`,
    `raw inputs: ${m.rawInputs.length} file(s), ${formatBytes(inputs)}`,
    `media: ${fmt(m.media.imagesReferenced)} image(s) referenced${m.media.videos ? ` (${fmt(m.media.videos)} video(s) as frames)` : ''}, `
      + `${fmt(m.media.newImagesStored)} stored by this build (${formatBytes(m.media.newImageBytes)})`,
    '',
    textTable(['split', 'records', 'parts', 'bytes', 'quarantined', 'reasons', 'skipped'], splits),
  ].join('\n');
}

function describeRecord(r: InstructRecord, images: ImageInfo[]): string {
  const lines = [`${r.id}  (${r.sourceFile} #${r.sourceIndex})`];
  if (r.question !== null) lines.push(`  question: ${r.question}`);
  if (r.answers.length > 0) lines.push(`  answers: ${r.answers.slice(0, 10).map((a) => JSON.stringify(a)).join(', ')}${r.answers.length > 10 ? ` (+${r.answers.length - 10})` : ''}`);
  if (r.choices.length > 0) lines.push(`  choices: ${r.choices.map((c, i) => (i === r.answerIndex ? `[${c}]` : c)).join(' | ')}`);
  if (r.context !== null) lines.push(`  context: ${r.context.slice(0, 160)}`);
  if (r.dialog.length > 0) lines.push(`  dialog: ${r.dialog.length} earlier round(s)`);
  if (r.conversation.length > 0) lines.push(`  conversation: ${r.conversation.length} turn(s), first: ${r.conversation[0].value.slice(0, 120)}`);
  if (r.label !== null) lines.push(`  label: ${r.label}`);
  for (const img of images) {
    lines.push(`  image ${img.key}: ${img.width === null ? 'NOT IN THE MEDIA STORE' : `${img.width}x${img.height} ${img.format}, ${formatBytes(img.bytes!)}`}`);
  }
  return lines.join('\n');
}

export const datasetView: InspectView = {
  options: {
    split: { type: 'string' },
    examples: { type: 'string', default: '3' },
  },
  usage: [
    'npm run inspect -- <dataset>     its manifest summary and example records with their image keys and sizes',
    '  --split S                      the split to take examples from (default: the first)',
    '  --examples N                   how many example records (default: 3)',
  ],
  applies: (ctx) => ctx.positionals.length === 1,
  async run(ctx: InspectContext) {
    const dataset = ctx.positionals[0];
    datasetInfo(dataset);
    const manifest = readDatasetManifest(ctx.manifestsDir, dataset);
    if (!manifest) throw new Error(`"${dataset}" is not built (no ${path.join(ctx.manifestsDir, `${dataset}.json`)}); run npm run build-shards -- --datasets ${dataset}`);
    const split = (ctx.values.split as string | undefined) ?? Object.keys(manifest.splits).find((s) => manifest.splits[s].records > 0) ?? '';
    if (split && !manifest.splits[split]) throw new Error(`"${dataset}" has no split "${split}"; it has ${Object.keys(manifest.splits).join(', ')}`);
    const count = Number(ctx.values.examples);
    if (!Number.isInteger(count) || count < 0) throw new Error(`--examples must be a non-negative integer, got "${ctx.values.examples}"`);
    const records = split ? await examples(ctx.shardsDir, manifest, split, count) : [];
    const media = await MediaReader.open(ctx.shardsDir);
    try {
      const shown = await Promise.all(records.map(async (record) => ({ record, images: await Promise.all(record.images.map((k) => imageInfo(media, k))) })));
      if (ctx.json) {
        ctx.out(JSON.stringify({ manifest, split, examples: shown }, null, 2));
        return;
      }
      ctx.out([summary(manifest), '', `examples from ${split || '(no records)'}:`, ...shown.map((e) => describeRecord(e.record, e.images))].join('\n'));
    } finally {
      await media.close();
    }
  },
};
