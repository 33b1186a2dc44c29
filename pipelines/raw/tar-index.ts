import { open } from 'node:fs/promises';

export interface TarEntry {
  name: string;
  offset: number;
  size: number;
}

function field(block: Buffer, start: number, len: number): string {
  const raw = block.subarray(start, start + len);
  const end = raw.indexOf(0);
  return raw.subarray(0, end < 0 ? len : end).toString('utf8');
}

function octal(block: Buffer, start: number, len: number): number {
  const text = field(block, start, len).trim();
  return text.length === 0 ? 0 : parseInt(text, 8);
}

/**
 * Reads only the 512-byte headers of an uncompressed tar, so any member can then be read by
 * offset without scanning the archive again. GNU long names (type L) and pax paths are honoured.
 */
export async function indexTar(file: string): Promise<Map<string, TarEntry>> {
  const fh = await open(file, 'r');
  const entries = new Map<string, TarEntry>();
  try {
    const { size: fileSize } = await fh.stat();
    const block = Buffer.alloc(512);
    let pos = 0;
    let longName: string | null = null;
    while (pos + 512 <= fileSize) {
      await fh.read(block, 0, 512, pos);
      if (block.every((b) => b === 0)) break;
      const size = octal(block, 124, 12);
      const type = String.fromCharCode(block[156] || 48);
      const dataStart = pos + 512;
      if (Number.isNaN(size) || dataStart + size > fileSize) {
        throw new Error(`tar ${file}: header at byte ${pos} is corrupt or the archive is truncated`);
      }
      if (type === 'L' || type === 'x') {
        const body = Buffer.alloc(size);
        await fh.read(body, 0, size, dataStart);
        if (type === 'L') longName = field(body, 0, size);
        else {
          const m = /\d+ path=([^\n]*)\n/.exec(body.toString('utf8'));
          if (m) longName = m[1];
        }
      } else {
        const prefix = field(block, 345, 155);
        const name = longName ?? (prefix ? `${prefix}/${field(block, 0, 100)}` : field(block, 0, 100));
        longName = null;
        if (type === '0' || type === '\0' || type === '7') entries.set(name, { name, offset: dataStart, size });
      }
      pos = dataStart + Math.ceil(size / 512) * 512;
    }
  } finally {
    await fh.close();
  }
  return entries;
}
