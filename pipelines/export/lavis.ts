/**
 * --format lavis: annotations.json, a JSON array in the shape LAVIS's instruction datasets read
 * (`image` relative to the folder, `text_input` the rendered instruction, `text_output` the
 * target), images under images/. Extra keys carry provenance; LAVIS ignores keys it does not use.
 */
import path from 'node:path';
import type { ExportExample } from './example-schema.ts';
import type { ExportContext, ExportedFile } from './export-context.ts';
import { ImageFolder } from './image-folder.ts';
import { writeJsonArrayFile } from './json-array-file.ts';
import { provenanceFields } from './provenance-fields.ts';

export const LAVIS_FILE = 'annotations.json';

async function* lavisEntries(examples: AsyncIterable<ExportExample>, images: ImageFolder, ctx: ExportContext): AsyncGenerator<object> {
  for await (const example of examples) {
    const paths = await images.paths(example.images);
    yield { image: paths[0] ?? null, images: paths, text_input: example.instruction, text_output: example.target, ...provenanceFields(example) };
    ctx.progress?.(1);
  }
}

export async function exportExamplesLavis(examples: AsyncIterable<ExportExample>, ctx: ExportContext): Promise<ExportedFile[]> {
  const images = new ImageFolder(ctx.outDir, ctx.media);
  const annotations = await writeJsonArrayFile(path.join(ctx.outDir, LAVIS_FILE), lavisEntries(examples, images, ctx));
  return [{ path: LAVIS_FILE, ...annotations }, ...images.files];
}
