/**
 * The raw inputs a source's datasets are built from: every file of the source and of the sources
 * it `uses`, with url, size and sha256. Ingest's ledger has them; without a ledger (a folder read
 * as is) the spec's files that are present are hashed.
 */
import { statSync } from 'node:fs';
import type { RawAccess } from '../../raw/access.ts';
import { readLedger } from '../../raw/ledger.ts';
import type { SourceSpec } from '../../sources/types.ts';
import type { RawInput } from '../manifest.ts';

async function inputsOf(spec: SourceSpec, rawDir: string, raw: RawAccess): Promise<RawInput[]> {
  const ledger = readLedger(rawDir, spec.source);
  if (ledger) {
    return Object.entries(ledger.files).map(([file, entry]) => ({ source: spec.source, path: file, url: entry.url, bytes: entry.bytes, sha256: entry.sha256 }));
  }
  const present = spec.files.filter((f) => raw.exists(spec.source, f.path));
  return Promise.all(present.map(async (f) => ({
    source: spec.source,
    path: f.path,
    url: f.url,
    bytes: statSync(raw.resolve(spec.source, f.path)).size,
    sha256: await raw.sha256(spec.source, f.path),
  })));
}

export async function rawInputsFor(spec: SourceSpec, specOf: (source: string) => Promise<SourceSpec>, rawDir: string, raw: RawAccess): Promise<RawInput[]> {
  const specs = [spec, ...(await Promise.all((spec.uses ?? []).map(specOf)))];
  const inputs = (await Promise.all(specs.map((s) => inputsOf(s, rawDir, raw)))).flat();
  return inputs.sort((a, b) => (a.source === b.source ? a.path.localeCompare(b.path) : a.source.localeCompare(b.source)));
}

/** Same files with the same content (urls and sizes follow from the hashes). */
export function sameInputs(a: readonly RawInput[], b: readonly RawInput[]): boolean {
  const key = (inputs: readonly RawInput[]) => inputs.map((i) => `${i.source}/${i.path}=${i.sha256}`).sort().join('\n');
  return key(a) === key(b);
}

/**
 * sha256 of a raw file of `source`, from the ledger when it has it, else hashed once. Known hashes
 * come back synchronously: this runs for every record.
 */
export function rawFileHasher(rawDir: string, raw: RawAccess): (source: string, file: string) => string | Promise<string> {
  // Keyed by source, then file: the record's own strings, so no key is built per record.
  const known = new Map<string, Map<string, string | Promise<string>>>();
  return (source, file) => {
    let files = known.get(source);
    if (!files) {
      files = new Map();
      known.set(source, files);
    }
    let sha = files.get(file);
    if (sha === undefined) {
      const fromLedger = readLedger(rawDir, source)?.files[file]?.sha256;
      const hashed = files;
      sha = fromLedger ?? raw.sha256(source, file).then((hex) => {
        hashed.set(file, hex);
        return hex;
      });
      files.set(file, sha);
    }
    return sha;
  };
}
