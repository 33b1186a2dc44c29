/** Assembles a dataset's manifest from what its build produced. */
import { datasetInfo } from '../../catalog.ts';
import { VIDEO_FRAMES } from '../../media/media-resolver.ts';
import type { SourceSpec } from '../../sources/types.ts';
import { MANIFEST_FORMAT, type DatasetManifest, type RawInput, type SplitManifest } from '../manifest.ts';
import type { DatasetOutput } from './source-pass.ts';

export function datasetManifest(
  dataset: string,
  spec: SourceSpec,
  inputs: RawInput[],
  splits: Record<string, SplitManifest>,
  output: DatasetOutput,
  buildSeconds: number,
): DatasetManifest {
  const info = datasetInfo(dataset);
  return {
    format: MANIFEST_FORMAT,
    dataset,
    title: info.title,
    category: info.category,
    task: info.task,
    heldOut: info.heldOut,
    license: info.license,
    citation: info.citation,
    source: spec.source,
    adapterVersion: spec.version,
    rawInputs: inputs,
    splits,
    media: {
      imagesReferenced: output.keys.size,
      newImagesStored: output.newImages,
      newImageBytes: output.newBytes,
      videos: [...output.keys].filter((k) => k.endsWith(`#0of${VIDEO_FRAMES}`)).length,
    },
    builtAt: new Date().toISOString(),
    buildSeconds: Math.round(buildSeconds * 1000) / 1000,
  };
}
