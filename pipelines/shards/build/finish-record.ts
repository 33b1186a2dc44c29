/** A source record becomes an InstructRecord: catalog fields, media keys and provenance hash filled in. */
import { datasetInfo } from '../../catalog.ts';
import type { InstructRecord } from '../../record.ts';
import type { SourceRecord } from '../../sources/types.ts';

export function finishRecord(source: SourceRecord, images: string[], sourceSha256: string): InstructRecord {
  const info = datasetInfo(source.dataset);
  const { media: _media, ...fields } = source;
  return { ...fields, task: info.task, category: info.category, heldOut: info.heldOut, license: info.license, images, sourceSha256 };
}
