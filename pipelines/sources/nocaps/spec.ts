/**
 * NoCaps (Agrawal et al. 2019), validation split: 4,500 Open Images photos with ten captions each,
 * in three domains by how far their objects are from COCO's (648 in, 2,938 near, 914 out).
 * Formats: research/dataset-formats.md A3. No checksums are published.
 *
 * The captions file is COCO-style ({images, annotations}); each image carries its domain and the
 * URL its photo is downloaded from, so images come through the URL list. LAVIS's nocaps_val.json
 * lists only {image, img_id} (no captions, no domain): CIDEr cannot be computed from it, so it is
 * recognised and refused with a message rather than read.
 *
 * License: not stated on the NoCaps page; Open Images photos are CC BY 2.0 (research A3). catalog.ts carries the license into every record.
 */
import type { SourceSpec } from '../types.ts';

export const CAPTIONS_FILE = 'nocaps_val_4500_captions.json';
export const LAVIS_FILE = 'nocaps_val.json';
/** Where the URL list puts each photo, as LAVIS's download script does: val/<open_images_id>.jpg. */
export const imagePath = (fileName: string) => `val/${fileName}`;

export const spec: SourceSpec = {
  source: 'nocaps',
  version: '1',
  datasets: ['nocaps'],
  files: [
    {
      path: CAPTIONS_FILE,
      url: `https://nocaps.s3.amazonaws.com/${CAPTIONS_FILE}`,
      description: 'val images (id, open_images_id, coco_url, file_name, domain, ...) and their ten captions each',
    },
    {
      path: LAVIS_FILE,
      url: `https://storage.googleapis.com/sfr-vision-language-research/datasets/${LAVIS_FILE}`,
      optional: true,
      description: 'LAVIS image list {image: "val/<id>.jpg", img_id}; no captions, so not enough on its own',
    },
  ],
  expected: { nocaps: { val: 4500 } },
};
