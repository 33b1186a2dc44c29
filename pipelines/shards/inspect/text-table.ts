/** A plain-text table with aligned columns; numeric-looking cells are right-aligned. */
const NUMERIC = /^[\d,.%]+( [kMGT]?B)?$|^-$/;

export function textTable(header: string[], rows: string[][]): string {
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => (r[c] ?? '').length)));
  const line = (cells: string[], align: boolean) => cells
    .map((cell, c) => (align && NUMERIC.test(cell) ? cell.padStart(widths[c]) : cell.padEnd(widths[c])))
    .join('  ')
    .trimEnd();
  return [line(header, false), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map((r) => line(r, true))].join('\n');
}
