/** A provenance chain as the lines `inspect-example` prints, from the draw back to the raw file. */
import type { ProvenanceChain } from './trace.ts';

const row = (label: string, value: string) => `  ${label.padEnd(13)}${value}`;

export function formatChain(chain: ProvenanceChain, dataLock: string | null): string {
  const lines: string[] = [];
  if (chain.draw) {
    const d = chain.draw;
    lines.push(`draw ${d.n} of the mixture in ${d.mixtureConfig} (seed ${d.seed}, plan ${d.plan})`);
    lines.push(row('draw', `n = ${d.n}, ${chain.dataset} epoch ${d.epoch}, training record ${chain.recordIndex}`));
  } else {
    lines.push(`record ${chain.recordId}`);
  }
  lines.push(row('dataset', `${chain.dataset} (${chain.heldOut ? 'held-out' : 'held-in'}, adapter version ${chain.adapterVersion})`));
  lines.push(row('record', `${chain.recordId}, split ${chain.split}${chain.recordIndex === null ? '' : `, training record index ${chain.recordIndex}`}`));
  lines.push(row('shard', `${chain.shard.path}, record batch ${chain.shard.batch}, row ${chain.shard.row}`));
  lines.push(row('raw file', `${chain.sourceFile}, record ${chain.sourceIndex} in it`));
  lines.push(row('raw sha256', chain.sourceSha256));
  if (chain.rawInput) {
    const same = chain.rawInput.sha256 === chain.sourceSha256;
    lines.push(row('raw input', `${chain.rawInput.source}/${chain.rawInput.path}, ${chain.rawInput.bytes} bytes, from ${chain.rawInput.url}`));
    if (!same) lines.push(row('WARNING', `the manifest lists sha256 ${chain.rawInput.sha256} for this file: the shard was built from other raw data; rebuild it`));
  } else {
    lines.push(row('raw input', 'not listed in the manifest'));
  }
  for (const e of chain.examples) {
    const mark = chain.picked === null ? '' : e.exampleIndex === chain.picked ? ' <- this draw' : '';
    lines.push(row('template', `${e.templateId} (example ${e.exampleIndex + 1} of ${chain.examples.length})${mark}`));
    lines.push(row('instruction', JSON.stringify(e.instruction)));
    lines.push(row('target', JSON.stringify(e.target)));
  }
  lines.push(row('images', chain.images.join(', ') || 'none'));
  lines.push(row('data lock', dataLock ?? 'none (run npm run lock)'));
  return lines.join('\n');
}
