/**
 * A JSON array written element by element (exports can hold millions of examples, more than one
 * JavaScript string may hold), one element per line.
 */
import { withHashedFile, type WrittenFile } from './hashed-file.ts';

export function writeJsonArrayFile(file: string, items: AsyncIterable<unknown>): Promise<WrittenFile> {
  return withHashedFile(file, async (out) => {
    let rows = 0;
    await out.write(Buffer.from('['));
    for await (const item of items) {
      await out.write(Buffer.from(`${rows === 0 ? '\n' : ',\n'}${JSON.stringify(item)}`));
      rows++;
    }
    await out.write(Buffer.from(rows === 0 ? ']\n' : '\n]\n'));
    return rows;
  });
}
