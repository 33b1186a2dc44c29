/**
 * --format webdataset: tar shards shard-NNNNNN.tar of samples whose members share a zero-padded
 * key (webdataset groups members by the name before the first dot): <key>.jpg (or .png, as the
 * image is stored), further frames of a video as <key>.f1.jpg, <key>.f2.jpg, ..., and <key>.json
 * with the instruction, the target, the member names of the images and the provenance. A shard is
 * closed before it would pass `maxBytes` or once it holds `maxCount` samples.
 */
import path from 'node:path';
import type { MediaReader } from '../media/media-reader.ts';
import type { ExportExample } from './example-schema.ts';
import type { ExportContext, ExportedFile } from './export-context.ts';
import { imageExtension } from './media-file-name.ts';
import { provenanceFields } from './provenance-fields.ts';
import { TarShard, tarMemberBytes } from './tar-shard.ts';

export interface WebdatasetOptions {
  maxBytes?: number;
  maxCount?: number;
}

export const DEFAULT_WEBDATASET_SHARD: Required<WebdatasetOptions> = { maxBytes: 256 * 1024 * 1024, maxCount: 100_000 };

export const sampleKey = (index: number) => String(index).padStart(9, '0');
export const webdatasetShardName = (index: number) => `shard-${String(index).padStart(6, '0')}.tar`;

async function sampleMembers(example: ExportExample, media: MediaReader): Promise<{ name: string; data: Uint8Array }[]> {
  const key = sampleKey(example.index);
  const images = await Promise.all(example.images.map(async (k, i) => {
    const image = await media.get(k);
    return { name: `${key}${i === 0 ? '' : `.f${i}`}.${imageExtension(image.format)}`, data: image.bytes };
  }));
  const json = {
    instruction: example.instruction, target: example.target, images: images.map((m) => m.name), image_keys: example.images,
    ...provenanceFields(example),
  };
  return [...images, { name: `${key}.json`, data: Buffer.from(JSON.stringify(json)) }];
}

export async function exportExamplesWebdataset(
  examples: AsyncIterable<ExportExample>, ctx: ExportContext, options: WebdatasetOptions = {},
): Promise<ExportedFile[]> {
  const maxBytes = options.maxBytes ?? DEFAULT_WEBDATASET_SHARD.maxBytes;
  const maxCount = options.maxCount ?? DEFAULT_WEBDATASET_SHARD.maxCount;
  const files: ExportedFile[] = [];
  let shard: TarShard | null = null;
  const close = async () => {
    if (!shard) return;
    files.push({ path: path.basename(shard.file), ...await shard.close() });
    shard = null;
  };
  try {
    for await (const example of examples) {
      const members = await sampleMembers(example, ctx.media);
      const sampleBytes = members.reduce((sum, m) => sum + tarMemberBytes(m.data.length), 0);
      if (shard && (shard.count >= maxCount || shard.bytes + sampleBytes > maxBytes)) await close();
      shard ??= new TarShard(path.join(ctx.outDir, webdatasetShardName(files.length)));
      await shard.addSample(members);
      ctx.progress?.(1);
    }
  } catch (err) {
    await (shard as TarShard | null)?.abort(err as Error);
    throw err;
  }
  await close();
  return files;
}
