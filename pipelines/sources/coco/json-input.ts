/**
 * Loads an official JSON annotation file from wherever the raw folder has it: inside its
 * distribution archive (the official download) or extracted beside it (how LAVIS re-hosts some
 * of them). Errors name the source, the file and what to do.
 */
import type { RawAccess } from '../../raw/access.ts';

export interface JsonInput {
  /** Path under raw/<source> of the file read: the archive when the JSON came out of one. */
  file: string;
  /** `archive:member` or the plain file name, for messages. */
  label: string;
  value: unknown;
}

export interface JsonLocation {
  /** The official archive (.zip) that holds `member`, if the JSON ships archived. */
  archive?: string;
  /** Entry name inside the archive, and the file name once extracted. */
  member: string;
}

export function parseJson(bytes: Buffer, source: string, label: string): unknown {
  try {
    return JSON.parse(bytes.toString('utf8'));
  } catch (err) {
    throw new Error(`${source}: ${label} is not valid JSON (${(err as Error).message}); delete it and run ingest for "${source}" again`);
  }
}

/** The JSON at `location`, or null when the raw folder has neither the archive nor the extracted file. */
export async function readJsonInput(raw: RawAccess, source: string, location: JsonLocation): Promise<JsonInput | null> {
  const { archive, member } = location;
  if (archive && raw.exists(source, archive)) {
    const label = `${archive}:${member}`;
    if (!(await raw.hasMember(source, archive, member))) {
      throw new Error(`${source}: ${archive} has no entry "${member}"; the archive is not the official one, fetch it again with ingest`);
    }
    return { file: archive, label, value: parseJson(await raw.readMember(source, archive, member), source, label) };
  }
  if (raw.exists(source, member)) {
    return { file: member, label: member, value: parseJson(await raw.readFile(source, member), source, member) };
  }
  return null;
}
