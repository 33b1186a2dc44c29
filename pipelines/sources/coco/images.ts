/**
 * Finds a COCO image by numeric id in whichever official COCO archives the raw `coco` source
 * holds. Datasets name COCO images three ways (2014 file names, 2017 bare ids, `coco_<id>`), and
 * train2017 ∪ val2017 is the same set of images as train2014 ∪ val2014, so one lookup by id serves
 * VQAv2, OK-VQA, A-OKVQA, LLaVA, VSR and Visual Dialog.
 */
import type { RawAccess } from '../../raw/access.ts';
import type { MediaRef } from '../types.ts';

const ARCHIVES = ['train2017.zip', 'val2017.zip', 'train2014.zip', 'val2014.zip'];

const indexes = new WeakMap<RawAccess, Promise<Map<number, MediaRef>>>();

async function buildIndex(raw: RawAccess): Promise<Map<number, MediaRef>> {
  const byId = new Map<number, MediaRef>();
  for (const archive of ARCHIVES) {
    if (!raw.exists('coco', archive)) continue;
    for (const member of await raw.members('coco', archive)) {
      const m = /(\d{6,12})\.jpg$/.exec(member);
      if (!m) continue;
      const id = Number(m[1]);
      if (!byId.has(id)) byId.set(id, { kind: 'image', source: 'coco', path: archive, member });
    }
  }
  return byId;
}

/** Every COCO image of the archives in raw/coco by id, listed once per RawAccess. */
export function cocoImageIndex(raw: RawAccess): Promise<ReadonlyMap<number, MediaRef>> {
  let index = indexes.get(raw);
  if (!index) {
    index = buildIndex(raw);
    indexes.set(raw, index);
  }
  return index;
}

/** Where COCO image `id` is, or null when no COCO archive in raw/coco holds it. */
export async function cocoImageRef(raw: RawAccess, id: number): Promise<MediaRef | null> {
  return (await cocoImageIndex(raw)).get(id) ?? null;
}

/** The numeric id in `COCO_val2014_000000328757.jpg`, `train2017/000000299207.jpg`, `coco_328757`, or a number. */
export function cocoIdOf(ref: string | number): number | null {
  if (typeof ref === 'number') return Number.isInteger(ref) && ref >= 0 ? ref : null;
  const m = /(\d+)(?:\.jpg)?$/i.exec(ref.trim());
  return m ? Number(m[1]) : null;
}
