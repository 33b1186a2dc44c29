/** The end-of-run summary: one block per source, what happened to its files and images. */
import type { SourceReport } from './ingest-source.ts';
import { formatBytes } from './units.ts';

function countBy<T>(items: T[], key: (item: T) => string): string {
  const counts = new Map<string, number>();
  for (const item of items) counts.set(key(item), (counts.get(key(item)) ?? 0) + 1);
  return [...counts].map(([k, n]) => `${n} ${k}`).join(', ');
}

export function summarizeSource(report: SourceReport): string[] {
  const lines = [`${report.source}: ${report.ok ? 'ok' : 'FAILED'}${report.inPlace ? ` (read in place from ${report.location})` : ` (${report.location})`}`];
  const done = report.files.flatMap((f) => (f.kind === 'done' ? [f] : []));
  if (done.length > 0) {
    const bytes = done.reduce((sum, f) => sum + f.entry.bytes, 0);
    lines.push(`  files: ${countBy(done, (f) => f.action)}; ${formatBytes(bytes)}; verified: ${countBy(done, (f) => f.entry.verified)}`);
  }
  const absent = report.files.flatMap((f) => (f.kind === 'absent' ? [f.path] : []));
  if (absent.length > 0) lines.push(`  optional, not in mirror: ${absent.join(', ')}`);
  for (const f of report.files) {
    if (f.kind === 'failed') lines.push(`  ${f.optional ? 'optional ' : ''}failed (${f.reason}): ${f.detail}`);
  }
  if (report.urlList) {
    const { totals, alreadyPresent, fetchedBytes } = report.urlList;
    const failed = Object.entries(totals.failed).map(([status, n]) => `${n} ${status}`).join(', ') || 'none';
    lines.push(`  images: ${totals.ok}/${totals.total} ok (${alreadyPresent} already there, ${formatBytes(fetchedBytes)} fetched); failed: ${failed}; per-URL status in ${totals.statusFile}`);
  }
  if (report.error) lines.push(`  error: ${report.error}`);
  return lines;
}

export function summarize(reports: SourceReport[]): string {
  const failed = reports.filter((r) => !r.ok).map((r) => r.source);
  const lines = reports.flatMap(summarizeSource);
  lines.push(failed.length === 0 ? `ingest: ${reports.length} source(s) ok` : `ingest: ${failed.length} of ${reports.length} source(s) failed: ${failed.join(', ')}`);
  return lines.join('\n');
}
