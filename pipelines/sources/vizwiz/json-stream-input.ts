/**
 * Opens an official JSON annotation file as a stream of its members, from inside its distribution
 * archive or extracted beside it (the streaming counterpart of common/json-input.ts, for files too
 * large to parse whole: GQA's question files, TextVQA's, Visual Dialog's). Shared by the held-out
 * adapters.
 */
import type { RawAccess } from '../../raw/access.ts';
import { jsonMembers, type JsonMember } from '../../util/json-stream.ts';
import type { JsonLocation } from '../common/json-input.ts';

export interface JsonStreamInput {
  /** Path under raw/<source> of the file read: the archive when the JSON comes out of one. */
  file: string;
  /** `archive:member` or the plain file name, for messages. */
  label: string;
  /** Members of the container at `path` (object keys from the root; empty for the root). */
  members: (path?: readonly string[]) => AsyncGenerator<JsonMember>;
}

/** The JSON at `location`, or null when the raw folder has neither the archive nor the extracted file. */
export async function openJsonStream(raw: RawAccess, source: string, location: JsonLocation): Promise<JsonStreamInput | null> {
  const { archive, member } = location;
  if (archive && raw.exists(source, archive)) {
    const label = `${archive}:${member}`;
    if (!(await raw.hasMember(source, archive, member))) {
      throw new Error(`${source}: ${archive} has no entry "${member}"; the archive is not the official one, fetch it again with ingest`);
    }
    return {
      file: archive,
      label,
      members: async function* (path = []) {
        yield* jsonMembers(await raw.streamMember(source, archive, member), path, `${source}: ${label}`);
      },
    };
  }
  if (raw.exists(source, member)) {
    return { file: member, label: member, members: (path = []) => jsonMembers(raw.stream(source, member), path, `${source}: ${member}`) };
  }
  return null;
}
