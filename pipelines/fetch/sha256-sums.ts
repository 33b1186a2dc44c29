/**
 * The `sha256sum` checksum list format: one `<64 hex>  <path>` line per file (`*` before the path
 * marks binary mode and means the same here). Paths are relative to the folder holding the list.
 */

export function parseSha256Sums(text: string, where: string): Map<string, string> {
  const sums = new Map<string, string>();
  const lines = text.split(/\r?\n/);
  lines.forEach((line, index) => {
    if (line.trim() === '') return;
    const match = /^([0-9a-fA-F]{64}) [ *](.+)$/.exec(line);
    if (!match) throw new Error(`${where} line ${index + 1}: expected "<sha256>  <path>", got "${line.slice(0, 120)}"`);
    const [, hash, file] = match;
    const previous = sums.get(file);
    if (previous && previous !== hash.toLowerCase()) {
      throw new Error(`${where} line ${index + 1}: "${file}" is listed twice with different hashes`);
    }
    sums.set(file, hash.toLowerCase());
  });
  return sums;
}

export function formatSha256Sums(sums: ReadonlyMap<string, string>): string {
  return [...sums].map(([file, hash]) => `${hash}  ${file}\n`).join('');
}
