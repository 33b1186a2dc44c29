/**
 * JSON as the official dataset files write it: compact, one line, keys in the order the
 * generator built them (which follows the official files), UTF-8.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export const jsonBytes = (value: unknown): Buffer => Buffer.from(JSON.stringify(value), 'utf8');

export function writeJson(file: string, value: unknown): void {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, jsonBytes(value));
}
