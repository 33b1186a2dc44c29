/**
 * The COCO sample mirror: train2014.zip and val2014.zip with every sample image rendered from its
 * scene, annotations_trainval2014.zip with the official captions files, and caption_datasets.zip
 * with Karpathy's dataset_coco.json. Other COCO-based sources annotate these same images.
 */
import path from 'node:path';
import { renderScene } from '../../sample/scene.ts';
import { jsonBytes } from '../../sample/json-bytes.ts';
import { writeZip, type ArchiveEntry } from '../../sample/zip-writer.ts';
import type { SampleMaker } from '../types.ts';
import { captionImages, cocoCaptionsJson, karpathyJson } from './sample-captions.ts';
import { cocoImageLocation, cocoSampleImages, cocoScene, type CocoFolder } from './scenes.ts';

const FOLDERS: CocoFolder[] = ['train2014', 'val2014'];

export const makeSample: SampleMaker = async (outDir, { scale, seed }) => {
  const images = cocoSampleImages(scale);
  for (const folder of FOLDERS) {
    const entries: ArchiveEntry[] = [];
    let archive = '';
    for (const image of images.filter((i) => i.folder === folder)) {
      const location = cocoImageLocation(image);
      archive = location.path;
      entries.push({ name: location.member, data: await renderScene(cocoScene(image.id)) });
    }
    await writeZip(path.join(outDir, archive), entries);
  }
  const captioned = captionImages(images, seed);
  await writeZip(path.join(outDir, 'annotations_trainval2014.zip'), FOLDERS.map((folder) => ({
    name: `annotations/captions_${folder}.json`,
    data: jsonBytes(cocoCaptionsJson(captioned, folder)),
  })));
  await writeZip(path.join(outDir, 'caption_datasets.zip'), [{ name: 'dataset_coco.json', data: jsonBytes(karpathyJson(captioned)) }]);
};
