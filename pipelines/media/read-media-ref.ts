/**
 * Reads the bytes a MediaRef points to. A file or archive entry that is not there is an expected
 * data problem (the record is quarantined as `unknown-image`); any other read failure is an error.
 */
import type { RawAccess } from '../raw/access.ts';
import type { MediaRef } from '../sources/types.ts';

export type RefBytes = { bytes: Buffer } | { missing: string };

export const describeRef = (ref: MediaRef) => `${ref.source}/${ref.path}${ref.member ? `:${ref.member}` : ''}`;

const isNotFound = (err: unknown) => ['ENOENT', 'ENOTDIR'].includes((err as NodeJS.ErrnoException).code ?? '');

export async function readMediaRef(raw: RawAccess, ref: MediaRef): Promise<RefBytes> {
  let location: string;
  try {
    location = raw.resolve(ref.source, ref.path);
  } catch (err) {
    return { missing: (err as Error).message };
  }
  try {
    if (ref.member === undefined) return { bytes: await raw.readFile(ref.source, ref.path) };
    return { bytes: await raw.readMember(ref.source, ref.path, ref.member) };
  } catch (err) {
    if (isNotFound(err)) return { missing: `${describeRef(ref)}: no such file (${location})` };
    if (ref.member !== undefined && !(await raw.hasMember(ref.source, ref.path, ref.member).catch(() => true))) {
      return { missing: `${describeRef(ref)}: the archive has no such entry` };
    }
    throw new Error(`${describeRef(ref)}: cannot read (${(err as Error).message})`);
  }
}
