/**
 * runs/<name>/report.html: a self-contained page (inline CSS and SVG, no script, no network) built
 * from the run folder by a list of sections. Callers append their own sections (evaluation tables,
 * the demo's numbers) to STANDARD_SECTIONS.
 */
import path from 'node:path';
import { writeFileAtomic } from '../../../pipelines/util/atomic.ts';
import { readRunFolder, type RunFolder } from './run-folder.ts';
import { type ReportSection, type SectionBuilder, STANDARD_SECTIONS } from './sections.ts';
import { escapeHtml } from './svg.ts';

export const REPORT_FILE = 'report.html';

const STYLE = `body{font:14px/1.45 system-ui,sans-serif;max-width:980px;margin:24px auto;padding:0 16px;color:#222}
h1{font-size:22px}h2{font-size:18px;margin-top:32px;border-bottom:1px solid #ddd}
table{border-collapse:collapse;margin:8px 0}td,th{border:1px solid #ddd;padding:3px 8px;text-align:left}th{background:#f4f4f4}
svg{display:block;margin:8px 0}svg text{font:11px system-ui,sans-serif;fill:#333}svg .title{font-size:13px;font-weight:600}
svg .grid{stroke:#eee}svg .axis{stroke:#888}nav a{margin-right:12px}`;

export function renderReport(run: RunFolder, compared: readonly RunFolder[] = [], builders: readonly SectionBuilder[] = STANDARD_SECTIONS): string {
  const sections = builders.map((b) => b(run, compared)).filter((s): s is ReportSection => s !== null);
  const nav = sections.map((s) => `<a href="#${s.id}">${escapeHtml(s.title)}</a>`).join('');
  const body = sections.map((s) => `<section id="${s.id}"><h2>${escapeHtml(s.title)}</h2>\n${s.html}\n</section>`).join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(run.name)}: training report</title><style>${STYLE}</style></head>
<body><h1>Training report: ${escapeHtml(run.name)}</h1>
<nav>${nav}</nav>
${body}
</body></html>
`;
}

/** Writes runDir/report.html; `compareWith` are other run folders (ablations) to set beside it. */
export async function writeReport(runDir: string, options: { compareWith?: readonly string[]; sections?: readonly SectionBuilder[] } = {}): Promise<string> {
  const file = path.join(runDir, REPORT_FILE);
  const compared = (options.compareWith ?? []).map(readRunFolder);
  await writeFileAtomic(file, renderReport(readRunFolder(runDir), compared, options.sections));
  return file;
}
