/**
 * Typed reads of untrusted annotation records. A field that is absent or of the wrong type throws
 * BadRecord, which the adapter turns into a quarantine entry with the reason code and the field
 * name, so one bad record never stops a build and is never dropped silently.
 */
import { resolveInside } from '../../raw/safe-path.ts';

export class BadRecord extends Error {
  constructor(readonly reason: string, readonly detail: string) {
    super(`${reason}: ${detail}`);
  }
}

export type JsonObject = Record<string, unknown>;

const typeName = (value: unknown) => (value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value);

const isObject = (value: unknown): value is JsonObject => typeof value === 'object' && value !== null && !Array.isArray(value);

const notObject = (value: unknown, what: string) => new BadRecord('bad-type', `${what} is ${typeName(value)}, expected an object`);

export function asObject(value: unknown, what: string): JsonObject {
  if (!isObject(value)) throw notObject(value, what);
  return value;
}

function present(obj: JsonObject, key: string): unknown {
  const value = obj[key];
  if (value === undefined || value === null) throw new BadRecord('missing-field', `"${key}" is missing`);
  return value;
}

export function str(obj: JsonObject, key: string): string {
  const value = present(obj, key);
  if (typeof value !== 'string') throw new BadRecord('bad-type', `"${key}" is ${typeName(value)}, expected a string`);
  if (value.trim() === '') throw new BadRecord('missing-field', `"${key}" is empty`);
  return value;
}

export function int(obj: JsonObject, key: string): number {
  const value = present(obj, key);
  if (typeof value !== 'number' || !Number.isInteger(value)) {
    throw new BadRecord('bad-type', `"${key}" is ${typeName(value)} ${JSON.stringify(value)}, expected an integer`);
  }
  return value;
}

export function bool(obj: JsonObject, key: string): boolean {
  const value = present(obj, key);
  if (typeof value !== 'boolean') throw new BadRecord('bad-type', `"${key}" is ${typeName(value)}, expected true or false`);
  return value;
}

export function list(obj: JsonObject, key: string): unknown[] {
  const value = present(obj, key);
  if (!Array.isArray(value)) throw new BadRecord('bad-type', `"${key}" is ${typeName(value)}, expected an array`);
  if (value.length === 0) throw new BadRecord('missing-field', `"${key}" is empty`);
  return value;
}

export function strList(obj: JsonObject, key: string, length?: number): string[] {
  const items = list(obj, key);
  items.forEach((item, i) => {
    if (typeof item !== 'string') throw new BadRecord('bad-type', `"${key}"[${i}] is ${typeName(item)}, expected a string`);
  });
  if (length !== undefined && items.length !== length) {
    throw new BadRecord('bad-value', `"${key}" has ${items.length} items, expected ${length}`);
  }
  return items as string[];
}

/** The array itself, once every item is checked: no copy, and no message is built unless one is bad. */
export function objList(obj: JsonObject, key: string): JsonObject[] {
  const items = list(obj, key);
  items.forEach((item, i) => {
    if (!isObject(item)) throw notObject(item, `"${key}"[${i}]`);
  });
  return items as JsonObject[];
}

/** A relative path from an annotation (`train2014/COCO_train2014_...jpg`) that stays inside its root. */
export function relativePath(obj: JsonObject, key: string): string {
  const value = str(obj, key);
  try {
    resolveInside('/root', value, `"${key}"`);
  } catch (err) {
    throw new BadRecord('unsafe-path', (err as Error).message.replace('/root', 'the source folder'));
  }
  return value;
}
