/**
 * iVQA (Yang et al. 2021, Just Ask): questions on instructional YouTube clips, five answers each,
 * producing `ivqa` (held out; the catalog evaluates test). research/dataset-formats.md A18.
 *
 * Annotations: `train.csv`, `val.csv`, `test.csv` from the Google Drive folder (csv-rows.ts). There
 * is no LAVIS layout. Videos: no archive is published; video-folder.ts documents the folder layout
 * this project uses (raw/ivqa/video/<video_id>_<start>_<end>.mp4).
 *
 * Records: one per row, `answers` = the five annotators' answers in column order with repeats,
 * weighted by their share; `media` = one `video` ref to the clip file. Quarantined here: a row
 * with an empty or missing question, video_id or answer (`missing-field`), a start/end that is not
 * a number (`bad-type`), a clip that was asked about twice (`duplicate-id`) and a clip that is not
 * in the video folder (`unknown-video`). A clip that cannot be decoded is quarantined by the media
 * stage (VideoDecodeError, with ffmpeg's message). Scoring is iVQA accuracy, free generation.
 *
 * Checksums: none published. Split sizes (6,000 / 2,000 / 2,000) are recalled, not verified; the
 * start/end columns are not verified either and are optional here.
 */
import type { SourceSpec } from '../types.ts';

const DRIVE = 'https://drive.google.com/drive/folders/14e7hUcy4Ti25HdRRH5LUpuJTik2cjlzb';

export const IVQA_SPLITS = ['train', 'val', 'test'] as const;
export const csvFile = (split: string) => `${split}.csv`;

export const spec: SourceSpec = {
  source: 'ivqa',
  version: '1',
  datasets: ['ivqa'],
  files: IVQA_SPLITS.map((split) => ({
    path: csvFile(split),
    url: DRIVE,
    optional: split !== 'test',
    description: `iVQA ${split} questions: CSV with video_id, start, end, question, answer1 … answer5`,
  })),
  expected: {
    ivqa: { train: 6000, val: 2000, test: 2000 },
  },
};
