/**
 * Read access to raw inputs: files under each source's root and entries inside zip and tar
 * archives, by path, without extracting anything. Every path from an annotation goes through
 * resolveInside, so nothing outside a source's root can be read.
 */
import { createReadStream, existsSync } from 'node:fs';
import { open, readFile } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import yauzl from 'yauzl';
import { sha256File } from '../util/sha256-file.ts';
import { resolveInside } from './safe-path.ts';
import { indexTar, type TarEntry } from './tar-index.ts';

interface ZipIndex {
  zip: yauzl.ZipFile;
  entries: Map<string, yauzl.Entry>;
}

function openZip(file: string): Promise<ZipIndex> {
  return new Promise((resolve, reject) => {
    yauzl.open(file, { lazyEntries: true, autoClose: false }, (err, zip) => {
      if (err || !zip) return reject(new Error(`zip ${file}: ${err?.message ?? 'cannot open'}`));
      const entries = new Map<string, yauzl.Entry>();
      zip.on('entry', (entry: yauzl.Entry) => {
        if (!entry.fileName.endsWith('/')) entries.set(entry.fileName, entry);
        zip.readEntry();
      });
      zip.on('end', () => resolve({ zip, entries }));
      zip.on('error', (e: Error) => reject(new Error(`zip ${file}: ${e.message}`)));
      zip.readEntry();
    });
  });
}

function readZipEntry(index: ZipIndex, entry: yauzl.Entry): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    index.zip.openReadStream(entry, (err, stream) => {
      if (err || !stream) return reject(err ?? new Error('cannot read entry'));
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => resolve(Buffer.concat(chunks)));
      stream.on('error', reject);
    });
  });
}

const isZip = (p: string) => p.toLowerCase().endsWith('.zip');
const isTar = (p: string) => p.toLowerCase().endsWith('.tar');

export class RawAccess {
  private readonly zips = new Map<string, Promise<ZipIndex>>();
  private readonly tars = new Map<string, Promise<Map<string, TarEntry>>>();
  private readonly hashes = new Map<string, Promise<string>>();

  /** `rootOf(source)` gives the folder holding that source's files (raw/<source>, or a mirror read in place). */
  constructor(private readonly rootOf: (source: string) => string) {}

  static under(rawDir: string): RawAccess {
    return new RawAccess((source) => path.join(rawDir, source));
  }

  root(source: string): string {
    return this.rootOf(source);
  }

  resolve(source: string, rel: string): string {
    return resolveInside(this.rootOf(source), rel, `${source} path`);
  }

  exists(source: string, rel: string): boolean {
    return existsSync(this.resolve(source, rel));
  }

  readFile(source: string, rel: string): Promise<Buffer> {
    return readFile(this.resolve(source, rel));
  }

  async readText(source: string, rel: string): Promise<string> {
    return (await this.readFile(source, rel)).toString('utf8');
  }

  /** A raw file as a stream, read `readBytes` at a time (Node's default 64 KB unless given). */
  stream(source: string, rel: string, readBytes?: number): Readable {
    return createReadStream(this.resolve(source, rel), readBytes === undefined ? undefined : { highWaterMark: readBytes });
  }

  /** sha256 of a raw file, computed once per process, on a worker thread. */
  sha256(source: string, rel: string): Promise<string> {
    const file = this.resolve(source, rel);
    let hash = this.hashes.get(file);
    if (!hash) {
      hash = sha256File(file);
      this.hashes.set(file, hash);
    }
    return hash;
  }

  /** Names of the files inside a zip or tar archive. */
  async members(source: string, archive: string): Promise<string[]> {
    if (isZip(archive)) return [...(await this.zipIndex(source, archive)).entries.keys()];
    if (isTar(archive)) return [...(await this.tarIndex(source, archive)).keys()];
    throw new Error(`${source}/${archive}: not a .zip or .tar archive`);
  }

  async hasMember(source: string, archive: string, member: string): Promise<boolean> {
    return (await this.members(source, archive)).includes(member);
  }

  /** The bytes of one archive entry; a missing entry is an error naming archive and entry. */
  async readMember(source: string, archive: string, member: string): Promise<Buffer> {
    resolveInside('/archive', member, `${source}/${archive} entry`);
    if (isZip(archive)) {
      const index = await this.zipIndex(source, archive);
      const entry = index.entries.get(member);
      if (!entry) throw new Error(`${source}/${archive} has no entry "${member}"`);
      return readZipEntry(index, entry);
    }
    if (isTar(archive)) {
      const entry = (await this.tarIndex(source, archive)).get(member);
      if (!entry) throw new Error(`${source}/${archive} has no entry "${member}"`);
      const fh = await open(this.resolve(source, archive), 'r');
      try {
        const buf = Buffer.alloc(entry.size);
        await fh.read(buf, 0, entry.size, entry.offset);
        return buf;
      } finally {
        await fh.close();
      }
    }
    throw new Error(`${source}/${archive}: not a .zip or .tar archive`);
  }

  /** One archive entry as a stream, for entries too large to hold whole (VQAv2's 356 MB annotations JSON). */
  async streamMember(source: string, archive: string, member: string): Promise<Readable> {
    resolveInside('/archive', member, `${source}/${archive} entry`);
    if (isZip(archive)) {
      const index = await this.zipIndex(source, archive);
      const entry = index.entries.get(member);
      if (!entry) throw new Error(`${source}/${archive} has no entry "${member}"`);
      return new Promise((resolve, reject) => {
        index.zip.openReadStream(entry, (err, stream) => (err || !stream ? reject(err ?? new Error('cannot read entry')) : resolve(stream)));
      });
    }
    if (isTar(archive)) {
      const entry = (await this.tarIndex(source, archive)).get(member);
      if (!entry) throw new Error(`${source}/${archive} has no entry "${member}"`);
      if (entry.size === 0) return Readable.from([]);
      return createReadStream(this.resolve(source, archive), { start: entry.offset, end: entry.offset + entry.size - 1 });
    }
    throw new Error(`${source}/${archive}: not a .zip or .tar archive`);
  }

  async close(): Promise<void> {
    for (const index of this.zips.values()) {
      try {
        (await index).zip.close();
      } catch {
        // an archive that failed to open has nothing to close
      }
    }
    this.zips.clear();
  }

  private zipIndex(source: string, archive: string): Promise<ZipIndex> {
    const file = this.resolve(source, archive);
    let index = this.zips.get(file);
    if (!index) {
      index = openZip(file);
      this.zips.set(file, index);
    }
    return index;
  }

  private tarIndex(source: string, archive: string): Promise<Map<string, TarEntry>> {
    const file = this.resolve(source, archive);
    let index = this.tars.get(file);
    if (!index) {
      index = indexTar(file);
      this.tars.set(file, index);
    }
    return index;
  }
}
