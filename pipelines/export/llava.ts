/**
 * --format llava: llava.json in LLaVA's fine-tuning format (docs/Finetune_Custom_Data.md): `id`,
 * `image` relative to the folder, `conversations` of one human turn (`<image>\n` then the
 * instruction) and one gpt turn (the target); images under images/. Extra keys carry provenance.
 * `id` is the record id, with `#<example index>` when a record renders several examples.
 */
import path from 'node:path';
import type { ExportExample } from './example-schema.ts';
import type { ExportContext, ExportedFile } from './export-context.ts';
import { ImageFolder } from './image-folder.ts';
import { writeJsonArrayFile } from './json-array-file.ts';
import { provenanceFields } from './provenance-fields.ts';

export const LLAVA_FILE = 'llava.json';
export const LLAVA_IMAGE_TOKEN = '<image>';

export function llavaId(example: ExportExample): string {
  return example.exampleCount > 1 ? `${example.recordId}#${example.exampleIndex}` : example.recordId;
}

async function* llavaEntries(examples: AsyncIterable<ExportExample>, images: ImageFolder, ctx: ExportContext): AsyncGenerator<object> {
  for await (const example of examples) {
    const paths = await images.paths(example.images);
    yield {
      id: llavaId(example),
      image: paths[0] ?? null,
      images: paths,
      conversations: [
        { from: 'human', value: paths.length > 0 ? `${LLAVA_IMAGE_TOKEN}\n${example.instruction}` : example.instruction },
        { from: 'gpt', value: example.target },
      ],
      ...provenanceFields(example),
    };
    ctx.progress?.(1);
  }
}

export async function exportExamplesLlava(examples: AsyncIterable<ExportExample>, ctx: ExportContext): Promise<ExportedFile[]> {
  const images = new ImageFolder(ctx.outDir, ctx.media);
  const entries = await writeJsonArrayFile(path.join(ctx.outDir, LLAVA_FILE), llavaEntries(examples, images, ctx));
  return [{ path: LLAVA_FILE, ...entries }, ...images.files];
}
