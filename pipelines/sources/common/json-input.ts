/**
 * Finds an official JSON annotation file wherever the raw folder has it: inside its distribution
 * archive (the official download) or extracted beside it (how LAVIS re-hosts some of them), and
 * reads it whole or as a stream. Errors name the source, the file and what to do.
 */
import type { Readable } from 'node:stream';
import type { RawAccess } from '../../raw/access.ts';

/** Read size for extracted files: at the default 64 KB, reading VQAv2's 315 MB costs four times the CPU of 1 MB reads. */
const READ_BYTES = 1 << 20;

export interface JsonLocation {
  /** The official archive (.zip) that holds `member`, if the JSON ships archived. */
  archive?: string;
  /** Entry name inside the archive, and the file name once extracted. */
  member: string;
}

interface FoundJson {
  /** Path under raw/<source> of the file read: the archive when the JSON comes out of one. */
  file: string;
  /** `archive:member` or the plain file name, for messages. */
  label: string;
  read: () => Promise<Buffer>;
  open: () => Promise<Readable>;
}

export type JsonInput = Omit<FoundJson, 'read' | 'open'> & { value: unknown };
export type JsonStreamInput = Omit<FoundJson, 'read' | 'open'> & { stream: Readable };

async function locateJson(raw: RawAccess, source: string, { archive, member }: JsonLocation): Promise<FoundJson | null> {
  if (archive && raw.exists(source, archive)) {
    if (!(await raw.hasMember(source, archive, member))) {
      throw new Error(`${source}: ${archive} has no entry "${member}"; the archive is not the official one, fetch it again with ingest`);
    }
    return {
      file: archive,
      label: `${archive}:${member}`,
      read: () => raw.readMember(source, archive, member),
      open: () => raw.streamMember(source, archive, member),
    };
  }
  if (!raw.exists(source, member)) return null;
  return {
    file: member,
    label: member,
    read: () => raw.readFile(source, member),
    open: async () => raw.stream(source, member, READ_BYTES),
  };
}

export function parseJson(bytes: Buffer, source: string, label: string): unknown {
  try {
    return JSON.parse(bytes.toString('utf8'));
  } catch (err) {
    throw new Error(`${source}: ${label} is not valid JSON (${(err as Error).message}); delete it and run ingest for "${source}" again`);
  }
}

/** The parsed JSON at `location`, or null when the raw folder has neither the archive nor the extracted file. */
export async function readJsonInput(raw: RawAccess, source: string, location: JsonLocation): Promise<JsonInput | null> {
  const found = await locateJson(raw, source, location);
  if (!found) return null;
  return { file: found.file, label: found.label, value: parseJson(await found.read(), source, found.label) };
}

/** The JSON at `location` as a stream for jsonMembers, for files too large to parse whole. */
export async function openJsonInput(raw: RawAccess, source: string, location: JsonLocation): Promise<JsonStreamInput | null> {
  const found = await locateJson(raw, source, location);
  if (!found) return null;
  return { file: found.file, label: found.label, stream: await found.open() };
}
