/** `npm run inspect`: every catalog dataset, held-in and held-out apart, built or not, with counts. */
import path from 'node:path';
import { CATALOG, type DatasetInfo } from '../../catalog.ts';
import { formatBytes } from '../../fetch/units.ts';
import { loadMediaIndex } from '../../media/media-index.ts';
import { MEDIA_DIR } from '../layout.ts';
import { type DatasetManifest, type IndexEntry, readAllManifests } from '../manifest.ts';
import { buildIndex } from '../manifest-index.ts';
import type { InspectContext, InspectView } from './inspect-view.ts';
import { textTable } from './text-table.ts';

export interface SummaryRow {
  dataset: string;
  title: string;
  category: string;
  heldOut: boolean;
  built: boolean;
  records: Record<string, number>;
  bytes: number;
  quarantined: number;
  samplingProbability: number | null;
}

const fmt = (n: number) => n.toLocaleString('en-US');

export async function summaryRows(manifestsDir: string, shardsDir: string): Promise<{ rows: SummaryRow[]; media: { parts: number; images: number; bytes: number } }> {
  const manifests = new Map<string, DatasetManifest>(readAllManifests(manifestsDir).map((m) => [m.dataset, m]));
  const { parts } = await loadMediaIndex(path.join(shardsDir, MEDIA_DIR), false);
  const media = { parts: parts.length, images: parts.reduce((n, p) => n + p.rows, 0), bytes: parts.reduce((n, p) => n + p.bytes, 0) };
  const index = new Map<string, IndexEntry>(buildIndex([...manifests.values()], media).datasets.map((e) => [e.dataset, e]));
  const rows = CATALOG.map((info: DatasetInfo): SummaryRow => {
    const entry = index.get(info.id);
    return {
      dataset: info.id,
      title: info.title,
      category: info.category,
      heldOut: info.heldOut,
      built: entry !== undefined,
      records: entry?.records ?? {},
      bytes: entry?.bytes ?? 0,
      quarantined: entry?.quarantined ?? 0,
      samplingProbability: entry?.samplingProbability ?? null,
    };
  });
  return { rows, media };
}

function group(title: string, rows: SummaryRow[]): string {
  const cells = rows.map((r) => [
    r.dataset,
    r.category,
    r.built ? 'yes' : 'no',
    r.built ? Object.entries(r.records).map(([split, n]) => `${split} ${fmt(n)}`).join(', ') || '(empty)' : '',
    r.built ? formatBytes(r.bytes) : '-',
    r.built ? fmt(r.quarantined) : '-',
    r.samplingProbability === null ? '-' : `${(100 * r.samplingProbability).toFixed(1)}%`,
  ]);
  return `${title}\n\n${textTable(['dataset', 'category', 'built', 'records', 'bytes', 'quarantined', 'p (sqrt)'], cells)}`;
}

export const summaryView: InspectView = {
  options: {},
  usage: ['npm run inspect                  every catalog dataset: built or not, records per split, bytes, quarantined, p (sqrt)'],
  applies: (ctx) => ctx.positionals.length === 0,
  async run(ctx: InspectContext) {
    const { rows, media } = await summaryRows(ctx.manifestsDir, ctx.shardsDir);
    if (ctx.json) {
      ctx.out(JSON.stringify({ datasets: rows, media }, null, 2));
      return;
    }
    const built = rows.filter((r) => r.built).length;
    ctx.out([
      group('Held-in (training; sampled with p ∝ sqrt(training records) over the built ones)', rows.filter((r) => !r.heldOut)),
      '',
      group('Held-out (zero-shot evaluation only; never sampled)', rows.filter((r) => r.heldOut)),
      '',
      `${built} of ${rows.length} datasets built; media store: ${fmt(media.images)} images in ${media.parts} part(s), ${formatBytes(media.bytes)}`,
    ].join('\n'));
  },
};
