/**
 * The contract between a raw-source adapter (pipelines/sources/<source>/) and the rest of the
 * data plane. An adapter describes its files (spec) and turns them into source records; fetching,
 * media processing, sharding and manifests happen elsewhere.
 */
import type { InstructRecord } from '../record.ts';
import type { RawAccess } from '../raw/access.ts';

export interface RawFileSpec {
  /** Path under raw/<source>/, the official file name (and folder, if the official layout has one). */
  path: string;
  /** Official download location. */
  url: string;
  /** sha256 of the official file where it is published or was measured; sample mirrors carry their own. */
  sha256?: string;
  bytes?: number;
  /** Alternative layouts (for example LAVIS's JSON) are optional: the adapter uses whichever is present. */
  optional?: boolean;
  description: string;
}

export interface SourceSpec {
  /** Folder name under pipelines/sources/ and raw/. */
  source: string;
  /** Bump whenever the adapter's output changes; build-shards rebuilds on a change. */
  version: string;
  /** Catalog ids this source produces. */
  datasets: string[];
  files: RawFileSpec[];
  /** Other sources whose raw files this one reads (VQAv2 reads COCO's images). */
  uses?: string[];
  /** Record counts of the real dataset per dataset and split, as published. */
  expected: Record<string, Record<string, number>>;
}

/** Where an image or video comes from: a raw file, or an entry inside a raw archive. */
export interface MediaRef {
  kind: 'image' | 'video';
  source: string;
  /** Path under raw/<source>/. */
  path: string;
  /** Entry inside the archive at `path` (zip or tar), when the media ships archived. */
  member?: string;
}

/** An adapter's record before media resolution; build-shards fills the catalog fields and image keys. */
export type SourceRecord = Omit<
  InstructRecord,
  'images' | 'task' | 'category' | 'heldOut' | 'license' | 'sourceSha256'
> & { media: MediaRef[] };

export interface Quarantine {
  dataset: string;
  split: string;
  sourceFile: string;
  sourceIndex: number;
  /** Short stable code, counted per code in the manifest: `missing-field`, `bad-type`, `unknown-image`, ... */
  reason: string;
  detail: string;
}

/** A record left out by a documented rule (ScienceQA without an image), counted, not an error. */
export interface Skip {
  dataset: string;
  split: string;
  rule: string;
}

export type AdapterOutput =
  | { record: SourceRecord }
  | { quarantine: Quarantine }
  | { skip: Skip };

export interface UrlListEntry {
  url: string;
  /** Where the fetched bytes go, under raw/<source>/. */
  path: string;
}

export interface SourceAdapter {
  spec: SourceSpec;
  /** Streams every record of every dataset and split this source produces. */
  read(raw: RawAccess): AsyncIterable<AdapterOutput>;
  /** For sources whose images are a list of URLs (OCR-VQA, CapFilt): every image to fetch. */
  urlList?(raw: RawAccess): AsyncIterable<UrlListEntry>;
}

export interface SampleOptions {
  /** Multiplies the number of records and images; 1 is the committed mirror. */
  scale: number;
  seed: number;
}

/**
 * Writes a source's sample mirror into `outDir`: the official file names and formats, with
 * content generated from pipelines/sample/scene.ts so annotations are true of their images.
 */
export type SampleMaker = (outDir: string, options: SampleOptions) => Promise<void>;
