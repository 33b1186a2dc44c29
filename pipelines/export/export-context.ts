/** What every exporter is handed, and what it reports back. */
import type { MediaReader } from '../media/media-reader.ts';

export interface ExportContext {
  shardsDir: string;
  /** The (temporary) folder the export is written into. */
  outDir: string;
  media: MediaReader;
  /** Image bytes an exporter holds at once (a record batch is cut into slices of about this much). */
  imageChunkBytes: number;
  /** Called with the number of records or examples just written. */
  progress?: (items: number) => void;
}

export interface ExportedFile {
  /** Relative to the export folder, with forward slashes. */
  path: string;
  /** Records or examples in the file (images for an image file: 1). */
  rows: number;
  bytes: number;
  sha256: string;
}

export const DEFAULT_IMAGE_CHUNK_BYTES = 32 * 1024 * 1024;
