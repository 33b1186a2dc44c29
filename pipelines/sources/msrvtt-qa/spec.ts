/**
 * MSRVTT-QA (Xu et al. 2017): questions about the 10,000 MSR-VTT clips, producing `msrvtt-qa`
 * (held out; the catalog evaluates test). research/dataset-formats.md A17.
 *
 * Layouts, detected from the data (../msvd-qa/video-qa-reader.ts, shared with MSVD-QA): the
 * official `{train,val,test}_qa.json` ({answer, category_id, id, question, video_id: N}), or LAVIS's
 * `qa_{train,val,test}.json` ({video: "video<N>.mp4", question, answer, question_id}). Videos come
 * from MSR-VTT's two zips as it ships them: train_val_videos.zip holds TrainValVideo/video0.mp4 to
 * video7009.mp4 (MSRVTT-QA train 0–6512, val 6513–7009), test_videos.zip holds
 * TestVideo/video7010.mp4 to video9999.mp4 (test). A video is found by file name in either zip.
 *
 * Records: one per question, `answers` = its one answer, `media` = one `video` ref into a zip; a
 * question whose video neither zip holds is quarantined here as `unknown-video`, a video that
 * cannot be decoded is quarantined by the media stage (VideoDecodeError, with ffmpeg's message).
 *
 * Answer vocabulary: as for MSVD-QA (../msvd-qa/spec.ts): LAVIS's train_ans2label.json, named by
 * every record's `meta.answerVocabulary` when present; the evaluator ranks its keys, or without it
 * the distinct answers of the train split. The sample mirror ships the file.
 *
 * Checksums: none published. Split sizes are recalled, not verified (A17).
 */
import { ANSWER_VOCABULARY_FILE } from '../msvd-qa/answer-vocabulary.ts';
import { lavisQaFile, officialQaFile, QA_SPLITS } from '../msvd-qa/video-qa-reader.ts';
import type { RawFileSpec, SourceSpec } from '../types.ts';

export const TRAIN_VAL_VIDEOS_ZIP = 'train_val_videos.zip';
export const TEST_VIDEOS_ZIP = 'test_videos.zip';

/** LAVIS's download_msrvtt.py uses mediafire links that are session-specific; this page lists the current ones. */
const MSRVTT_VIDEOS = 'https://cove.thecvf.com/datasets/839';
const MEGA_QA = 'https://mega.nz/#!UnRnyb7A!es4XmqsLxl-B7MP0KAat9VibkH7J_qpKj9NcxLh8aHg';
const LAVIS = 'https://storage.googleapis.com/sfr-vision-language-research/LAVIS/datasets/msrvtt';

const qaFiles = (split: string): RawFileSpec[] => [
  {
    path: officialQaFile(split),
    url: MEGA_QA,
    optional: true,
    description: `official ${split} questions, a JSON array of {answer, category_id, id, question, video_id: N for video<N>.mp4} `
      + '(from the MSRVTT-QA download; needed unless the LAVIS files are present)',
  },
  {
    path: lavisQaFile(split),
    url: `${LAVIS}/${lavisQaFile(split)}`,
    optional: true,
    description: `LAVIS ${split} questions, a JSON array of {video: "video<N>.mp4", question, answer, question_id}`,
  },
];

export const spec: SourceSpec = {
  source: 'msrvtt-qa',
  version: '1',
  datasets: ['msrvtt-qa'],
  files: [
    {
      path: TEST_VIDEOS_ZIP,
      url: MSRVTT_VIDEOS,
      description: 'MSR-VTT test videos, entries TestVideo/video7010.mp4 … video9999.mp4 (the MSRVTT-QA test split)',
    },
    {
      path: TRAIN_VAL_VIDEOS_ZIP,
      url: MSRVTT_VIDEOS,
      optional: true,
      description: 'MSR-VTT train and validation videos, entries TrainValVideo/video0.mp4 … video7009.mp4; '
        + 'needed for the train and val questions only',
    },
    ...QA_SPLITS.flatMap(qaFiles),
    {
      path: ANSWER_VOCABULARY_FILE,
      url: `${LAVIS}/${ANSWER_VOCABULARY_FILE}`,
      optional: true,
      description: "LAVIS's answer vocabulary {answer: class index}; the evaluator ranks its answers",
    },
  ],
  expected: {
    'msrvtt-qa': { train: 158581, val: 12278, test: 72821 },
  },
};
