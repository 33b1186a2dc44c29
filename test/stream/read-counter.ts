/** Counts the bytes every FileHandle.read returns, to show what random access actually reads. */
import { open } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';

export interface ReadCounter {
  bytes: number;
  calls: number;
  restore(): void;
}

export async function countFileReads(anyFile: string): Promise<ReadCounter> {
  const fh = await open(anyFile, 'r');
  const proto = Object.getPrototypeOf(fh) as FileHandle;
  await fh.close();
  const original = proto.read;
  const counter: ReadCounter = {
    bytes: 0,
    calls: 0,
    restore: () => {
      proto.read = original;
    },
  };
  proto.read = async function counted(this: FileHandle, ...args: unknown[]) {
    const result = await (original as (...a: unknown[]) => Promise<{ bytesRead: number }>).apply(this, args);
    counter.bytes += result.bytesRead;
    counter.calls++;
    return result;
  } as FileHandle['read'];
  return counter;
}
