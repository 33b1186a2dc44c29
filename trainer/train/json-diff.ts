/** The differences between two JSON values, as readable lines: "train.steps: 100 -> 200". */

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

const show = (v: unknown) => (v === undefined ? '(absent)' : JSON.stringify(v));

export function jsonDifferences(before: unknown, after: unknown, at = ''): string[] {
  if (isObject(before) && isObject(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
    return keys.flatMap((k) => jsonDifferences(before[k], after[k], at === '' ? k : `${at}.${k}`));
  }
  return JSON.stringify(before) === JSON.stringify(after) ? [] : [`${at || '(value)'}: ${show(before)} -> ${show(after)}`];
}
