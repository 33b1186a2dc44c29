import type { OverlapReport } from './overlap.ts';

/** The leakage report as text: one row per (held-out split, held-in dataset) pair that shares images. */
export function formatLeakageReport(report: OverlapReport, notBuilt: readonly string[]): string {
  const lines = [
    `Images of held-out evaluation splits that also occur in held-in training splits`,
    `exact: same sha256 of the original bytes; near: 64-bit DCT perceptual hashes within ${report.threshold} bits (not counting exact ones)`,
    '',
  ];
  if (report.pairs.length === 0) {
    lines.push('no overlap found');
  } else {
    const header = ['held-out split', 'images', 'held-in dataset', 'exact', 'near', 'example (held-out <- held-in, distance)'];
    const rows = report.pairs.map((p) => {
      const example = p.examples[0];
      return [
        `${p.heldOut}/${p.heldOutSplit}`,
        String(report.heldOutImages[`${p.heldOut}/${p.heldOutSplit}`] ?? 0),
        p.heldIn,
        String(p.exactImages),
        String(p.nearImages),
        example ? `${example.heldOutRecord} <- ${example.heldInRecord} (${example.distance})` : '',
      ];
    });
    const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
    const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd();
    lines.push(line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line));
  }
  if (notBuilt.length > 0) lines.push('', `not built (left out): ${notBuilt.join(', ')}`);
  return lines.join('\n');
}
