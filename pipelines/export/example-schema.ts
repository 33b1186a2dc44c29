/**
 * One rendered training example as exported: the text a trainer sees, the media keys, and where it
 * came from (the draw, the record, the raw file), so every exported row carries its provenance.
 */
import { Field, Int32, List, Schema, Utf8 } from 'apache-arrow';

export interface ExportExample {
  /** Position in this export, from 0. */
  index: number;
  /** The sampler's draw index for a mixture export; null for a split export. */
  n: number | null;
  dataset: string;
  split: string;
  recordId: string;
  /** The sampler's record index (over the dataset's training splits); null for a split export. */
  recordIndex: number | null;
  /** Dataset epoch the example was rendered for (templates vary per epoch). */
  epoch: number;
  templateId: string;
  /** Which of the record's rendered examples this is, of how many (LLaVA: one per assistant turn). */
  exampleIndex: number;
  exampleCount: number;
  instruction: string;
  target: string;
  /** Media-store keys, in order (a video is its frames). */
  images: string[];
  sourceFile: string;
  sourceIndex: number;
  sourceSha256: string;
}

export const EXAMPLE_SCHEMA = new Schema([
  new Field('index', new Int32(), false),
  new Field('n', new Int32(), true),
  new Field('dataset', new Utf8(), false),
  new Field('split', new Utf8(), false),
  new Field('recordId', new Utf8(), false),
  new Field('recordIndex', new Int32(), true),
  new Field('epoch', new Int32(), false),
  new Field('templateId', new Utf8(), false),
  new Field('exampleIndex', new Int32(), false),
  new Field('exampleCount', new Int32(), false),
  new Field('instruction', new Utf8(), false),
  new Field('target', new Utf8(), false),
  new Field('images', new List(new Field('item', new Utf8(), false)), false),
  new Field('sourceFile', new Utf8(), false),
  new Field('sourceIndex', new Int32(), false),
  new Field('sourceSha256', new Utf8(), false),
]);
