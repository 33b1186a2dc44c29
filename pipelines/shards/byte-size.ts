/** Parses sizes such as `64MB`, `512k`, `1.5GiB` or `1000000` into bytes (kB/MB/GB are powers of 1024). */
const UNITS: Record<string, number> = { '': 1, b: 1, k: 1024, kb: 1024, kib: 1024, m: 1024 ** 2, mb: 1024 ** 2, mib: 1024 ** 2, g: 1024 ** 3, gb: 1024 ** 3, gib: 1024 ** 3 };

export function parseByteSize(text: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*$/i.exec(text);
  const unit = m ? UNITS[m[2].toLowerCase()] : undefined;
  if (!m || unit === undefined) throw new Error(`"${text}" is not a size; write e.g. 64MB, 512KB or a number of bytes`);
  const bytes = Math.round(Number(m[1]) * unit);
  if (bytes < 1) throw new Error(`size "${text}" must be at least one byte`);
  return bytes;
}
