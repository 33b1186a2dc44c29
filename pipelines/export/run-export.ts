/**
 * One export: pick the records (splits, or the first N draws of a mixture), hand them to the
 * format's exporter inside a temporary folder, write export.json (what was exported, from which
 * data lock, every file with its size and sha256), and rename the folder into place.
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { type ProgressSink, silentProgress } from '../fetch/progress.ts';
import { loadTemplateLibrary } from '../format/index.ts';
import { MediaReader } from '../media/media-reader.ts';
import { loadMixtureConfig, planFingerprint } from '../mixture/index.ts';
import { currentDataLock } from '../lock/data-lock.ts';
import type { ExportExample } from './example-schema.ts';
import { DEFAULT_IMAGE_CHUNK_BYTES, type ExportContext, type ExportedFile } from './export-context.ts';
import { exportExamplesHf, exportRecordsHf } from './hf.ts';
import { exportExamplesLavis } from './lavis.ts';
import { exportExamplesLlava } from './llava.ts';
import { loadPlan, mixtureExamples } from './mixture-examples.ts';
import { writeDirAtomic } from './output-dir.ts';
import { exportExamplesParquet, exportRecordsParquet } from './parquet.ts';
import { selectSplits, type SplitSelection } from './selection.ts';
import { splitExamples } from './split-examples.ts';
import { exportExamplesWebdataset, type WebdatasetOptions } from './webdataset.ts';

export const EXPORT_FORMATS = ['parquet', 'hf', 'lavis', 'llava', 'webdataset'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export const EXPORT_MANIFEST = 'export.json';

export interface ExportOptions {
  format: ExportFormat;
  shardsDir: string;
  manifestsDir: string;
  /** The export folder; replaced when the new export is complete. */
  outDir: string;
  datasets?: string[];
  splits?: string[];
  /** Export the first `examples` draws of this trainer config's mixture instead of whole splits. */
  mixture?: { config: string; examples: number };
  /** Rendering seed of split exports in the example formats (mixture exports use the mixture's). */
  seed?: number;
  templatesDir?: string;
  webdataset?: WebdatasetOptions;
  /** Image bytes held at once by the parquet and hf exporters. */
  imageChunkBytes?: number;
  progress?: ProgressSink;
}

export interface ExportSummary {
  format: ExportFormat;
  outDir: string;
  /** Records (split export) or examples (mixture export, example formats) written. */
  items: number;
  files: ExportedFile[];
  dataLock: string;
}

type ExampleExporter = (examples: AsyncIterable<ExportExample>, ctx: ExportContext, options: ExportOptions) => Promise<ExportedFile[]>;

const EXAMPLE_EXPORTERS: Record<ExportFormat, ExampleExporter> = {
  parquet: (examples, ctx) => exportExamplesParquet(examples, ctx),
  hf: (examples, ctx) => exportExamplesHf(examples, ctx),
  lavis: (examples, ctx) => exportExamplesLavis(examples, ctx),
  llava: (examples, ctx) => exportExamplesLlava(examples, ctx),
  webdataset: (examples, ctx, options) => exportExamplesWebdataset(examples, ctx, options.webdataset),
};

/** Formats that export records with every column (the others export rendered examples). */
const RECORD_EXPORTERS: Partial<Record<ExportFormat, (selections: readonly SplitSelection[], ctx: ExportContext) => Promise<ExportedFile[]>>> = {
  parquet: exportRecordsParquet,
  hf: exportRecordsHf,
};

export async function runExport(options: ExportOptions): Promise<ExportSummary> {
  if (!EXPORT_FORMATS.includes(options.format)) throw new Error(`unknown export format "${options.format}"; formats: ${EXPORT_FORMATS.join(', ')}`);
  if (options.mixture && (options.datasets?.length || options.splits?.length)) {
    throw new Error('--mixture exports the datasets of the mixture config; leave out --datasets and --splits');
  }
  const templates = loadTemplateLibrary(options.templatesDir);
  const mixture = options.mixture ? { ...options.mixture, section: loadMixtureConfig(options.mixture.config) } : null;
  const source = mixture ? { shardsDir: options.shardsDir, manifestsDir: options.manifestsDir, mixture: mixture.section } : null;
  // Planning first reports a bad mixture (held-out or unbuilt datasets) before anything is written.
  const plan = source ? loadPlan(source).plan : null;
  const selections = source ? [] : selectSplits(options.manifestsDir, options);
  const lock = await currentDataLock({
    manifestsDir: options.manifestsDir, shardsDir: options.shardsDir, templatesDir: options.templatesDir, mixtureConfig: mixture?.config,
  });
  const media = await MediaReader.open(options.shardsDir);
  const sink = options.progress ?? silentProgress;
  let items = 0;
  const progress = (n: number) => {
    items += n;
    sink.advance(n, 0);
  };
  const unit = mixture || !RECORD_EXPORTERS[options.format] ? 'examples' : 'records';
  sink.begin(`export ${options.format} (${unit})`, mixture ? mixture.examples : selections.reduce((sum, s) => sum + s.records, 0));
  try {
    return await writeDirAtomic(options.outDir, async (tmpDir) => {
      const ctx: ExportContext = {
        shardsDir: options.shardsDir, outDir: tmpDir, media, progress, imageChunkBytes: options.imageChunkBytes ?? DEFAULT_IMAGE_CHUNK_BYTES,
      };
      const recordExporter = RECORD_EXPORTERS[options.format];
      const files = source
        ? await EXAMPLE_EXPORTERS[options.format](mixtureExamples(source, mixture!.examples, templates), ctx, options)
        : recordExporter
          ? await recordExporter(selections, ctx)
          : await EXAMPLE_EXPORTERS[options.format](splitExamples(options.shardsDir, selections, templates, options.seed ?? 0), ctx, options);
      const manifest = {
        format: options.format,
        dataLock: lock.hash,
        items,
        mixture: mixture && plan ? {
          config: path.basename(mixture.config), examples: mixture.examples, seed: plan.seed, plan: planFingerprint(plan),
        } : null,
        splits: selections.map((s) => ({ dataset: s.dataset, split: s.split, records: s.records })),
        files,
      };
      await writeFile(path.join(tmpDir, EXPORT_MANIFEST), `${JSON.stringify(manifest, null, 2)}\n`);
      return { format: options.format, outDir: path.resolve(options.outDir), items, files, dataLock: lock.hash };
    });
  } finally {
    sink.end();
    await media.close();
  }
}
