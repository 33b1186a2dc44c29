/**
 * Inline SVG charts for the run report: no script, no network, so report.html opens anywhere.
 * Line charts (loss, lr, validation loss per dataset) and grouped horizontal bars (mixture shares).
 */

export interface Series {
  name: string;
  points: readonly (readonly [number, number])[];
}

const PALETTE = ['#1f77b4', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f', '#bcbd22', '#17becf', '#393b79', '#637939', '#843c39'];

export const color = (i: number) => PALETTE[i % PALETTE.length]!;

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** About `count` round tick values covering [min, max]. */
export function ticks(min: number, max: number, count = 5): number[] {
  if (!(max > min)) return [min];
  const raw = (max - min) / count;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * magnitude).find((s) => s >= raw)!;
  const out: number[] = [];
  for (let v = Math.ceil(min / step) * step; v <= max + step * 1e-9; v += step) out.push(Number(v.toPrecision(12)));
  return out;
}

const label = (v: number) => (Math.abs(v) >= 1e4 || (Math.abs(v) < 1e-2 && v !== 0) ? v.toExponential(1) : String(Number(v.toPrecision(4))));

export interface LineChartOptions {
  title: string;
  xLabel: string;
  yLabel: string;
  logY?: boolean;
  width?: number;
  height?: number;
}

export function lineChart(series: readonly Series[], options: LineChartOptions): string {
  const { width = 640, height = 300, logY = false } = options;
  const margin = { left: 64, right: 16, top: 28, bottom: 44 };
  const all = series.flatMap((s) => s.points).filter(([, y]) => Number.isFinite(y) && (!logY || y > 0));
  if (all.length === 0) return `<p>${escapeHtml(options.title)}: no data yet.</p>`;
  const fy = (y: number) => (logY ? Math.log10(y) : y);
  const xs = all.map(([x]) => x);
  const ys = all.map(([, y]) => fy(y));
  const [x0, x1] = [Math.min(...xs), Math.max(...xs, Math.min(...xs) + 1)];
  let [y0, y1] = [Math.min(...ys), Math.max(...ys)];
  if (y1 === y0) [y0, y1] = [y0 - 1, y1 + 1];
  const px = (x: number) => margin.left + ((x - x0) / (x1 - x0)) * (width - margin.left - margin.right);
  const py = (y: number) => height - margin.bottom - ((fy(y) - y0) / (y1 - y0)) * (height - margin.top - margin.bottom);
  const yTicks = logY ? ticks(y0, y1, 4).map((t) => 10 ** t) : ticks(y0, y1);
  const grid = [
    ...ticks(x0, x1).map((t) => `<line x1="${px(t)}" x2="${px(t)}" y1="${margin.top}" y2="${height - margin.bottom}" class="grid"/><text x="${px(t)}" y="${height - margin.bottom + 16}" text-anchor="middle">${label(t)}</text>`),
    ...yTicks.map((t) => `<line x1="${margin.left}" x2="${width - margin.right}" y1="${py(t)}" y2="${py(t)}" class="grid"/><text x="${margin.left - 6}" y="${py(t) + 4}" text-anchor="end">${label(t)}</text>`),
  ];
  const lines = series.map((s, i) => {
    const pts = s.points.filter(([, y]) => Number.isFinite(y) && (!logY || y > 0)).map(([x, y]) => `${px(x).toFixed(1)},${py(y).toFixed(1)}`);
    const dots = pts.length <= 40 ? pts.map((p) => `<circle cx="${p.split(',')[0]}" cy="${p.split(',')[1]}" r="2.5" fill="${color(i)}"/>`).join('') : '';
    return `<polyline fill="none" stroke="${color(i)}" stroke-width="1.6" points="${pts.join(' ')}"><title>${escapeHtml(s.name)}</title></polyline>${dots}`;
  });
  const legend = series.length > 1
    ? series.map((s, i) => `<g transform="translate(${margin.left + 8 + (i % 4) * 140},${margin.top + 4 + Math.floor(i / 4) * 14})"><rect width="10" height="10" fill="${color(i)}"/><text x="14" y="9">${escapeHtml(s.name)}</text></g>`).join('')
    : '';
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="${escapeHtml(options.title)}">
<text x="${width / 2}" y="16" text-anchor="middle" class="title">${escapeHtml(options.title)}</text>
${grid.join('\n')}
<line x1="${margin.left}" x2="${margin.left}" y1="${margin.top}" y2="${height - margin.bottom}" class="axis"/><line x1="${margin.left}" x2="${width - margin.right}" y1="${height - margin.bottom}" y2="${height - margin.bottom}" class="axis"/>
<text x="${(margin.left + width - margin.right) / 2}" y="${height - 6}" text-anchor="middle">${escapeHtml(options.xLabel)}</text>
<text transform="translate(14,${(margin.top + height - margin.bottom) / 2}) rotate(-90)" text-anchor="middle">${escapeHtml(options.yLabel)}${logY ? ' (log)' : ''}</text>
${lines.join('\n')}
${legend}
</svg>`;
}

export interface BarGroup {
  label: string;
  values: readonly number[];
}

/** Horizontal grouped bars: one group per row, one bar per value (series names in `keys`). */
export function barChart(groups: readonly BarGroup[], keys: readonly string[], options: { title: string; format: (v: number) => string; width?: number }): string {
  const { width = 640 } = options;
  const rowHeight = 8 + keys.length * 10;
  const margin = { left: 150, right: 70, top: 28 + 16, bottom: 8 };
  const height = margin.top + groups.length * rowHeight + margin.bottom;
  const max = Math.max(...groups.flatMap((g) => g.values), 1e-12);
  const bx = (v: number) => (v / max) * (width - margin.left - margin.right);
  const rows = groups.map((g, r) => {
    const y = margin.top + r * rowHeight;
    const bars = g.values.map((v, k) => `<rect x="${margin.left}" y="${y + k * 10}" width="${bx(v).toFixed(1)}" height="9" fill="${color(k)}"><title>${escapeHtml(`${g.label} ${keys[k]}: ${options.format(v)}`)}</title></rect><text x="${margin.left + bx(v) + 4}" y="${y + k * 10 + 8}">${options.format(v)}</text>`);
    return `<text x="${margin.left - 6}" y="${y + rowHeight / 2}" text-anchor="end">${escapeHtml(g.label)}</text>${bars.join('')}`;
  });
  const legend = keys.map((k, i) => `<g transform="translate(${margin.left + i * 140},${28})"><rect width="10" height="10" fill="${color(i)}"/><text x="14" y="9">${escapeHtml(k)}</text></g>`).join('');
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="${escapeHtml(options.title)}">
<text x="${width / 2}" y="16" text-anchor="middle" class="title">${escapeHtml(options.title)}</text>
${legend}
${rows.join('\n')}
</svg>`;
}
