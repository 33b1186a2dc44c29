/**
 * Content-Range of a 206 (`bytes 100-199/1000`, total may be `*`) or of a 416 (`bytes * /1000`
 * without the space). Resume trusts a 206 only if its range starts where our partial file ends.
 */
export type ContentRange =
  | { kind: 'range'; start: number; end: number; total: number | null }
  | { kind: 'unsatisfied'; total: number };

export function parseContentRange(value: string | undefined): ContentRange | null {
  if (!value) return null;
  const range = /^bytes (\d+)-(\d+)\/(\d+|\*)$/.exec(value.trim());
  if (range) {
    const [start, end] = [Number(range[1]), Number(range[2])];
    if (end < start) return null;
    return { kind: 'range', start, end, total: range[3] === '*' ? null : Number(range[3]) };
  }
  const unsatisfied = /^bytes \*\/(\d+)$/.exec(value.trim());
  return unsatisfied ? { kind: 'unsatisfied', total: Number(unsatisfied[1]) } : null;
}
