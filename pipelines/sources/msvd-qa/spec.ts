/**
 * MSVD-QA (Xu et al. 2017): questions about the 1,970 MSVD YouTube clips, producing `msvd-qa`
 * (held out; the catalog evaluates test). research/dataset-formats.md A16.
 *
 * Layouts, detected from the data (video-qa-reader.ts): the official `{train,val,test}_qa.json`
 * with `youtube_mapping.txt`, or LAVIS's `qa_{train,val,test}.json`. Both read the videos from
 * MSVD's YouTubeClips.tar, where a clip is `YouTubeClips/<YouTube id>_<start>_<end>.avi`; the
 * official QA files name it `vid<N>` and youtube_mapping.txt maps one to the other.
 *
 * Records: one per question, `answers` = its one answer, `media` = one `video` ref into
 * YouTubeClips.tar (the media stage turns it into 4 uniformly sampled frames). A question whose
 * video is not in youtube_mapping.txt or not in the tar is quarantined here as `unknown-video`;
 * a clip that is in the tar but cannot be decoded is quarantined by the media stage
 * (VideoDecodeError, with ffmpeg's message).
 *
 * Answer vocabulary (the paper ranks MSVD-QA answers over it): when raw/msvd-qa holds LAVIS's
 * train_ans2label.json, every record's `meta.answerVocabulary` is "train_ans2label.json", a path
 * under raw/<source>/ that the manifest lists with its sha256; the evaluator ranks the file's keys
 * (in class-index order). Without the file the field is absent and the evaluator ranks the distinct
 * answers of the dataset's train split, which build-shards writes because every split present is
 * read. The sample mirror ships the file.
 *
 * Checksums: none published (research Part C). Split sizes are recalled, not verified (A16).
 */
import type { RawFileSpec, SourceSpec } from '../types.ts';
import { ANSWER_VOCABULARY_FILE } from './answer-vocabulary.ts';
import { lavisQaFile, officialQaFile, QA_SPLITS } from './video-qa-reader.ts';
import { YOUTUBE_MAPPING_FILE } from './youtube-mapping.ts';

export const YOUTUBE_CLIPS_TAR = 'YouTubeClips.tar';

const MEGA_QA = 'https://mega.nz/#!QmxFwBTK!Cs7cByu_Qo42XJOsv0DjiEDMiEm8m69h60caDYnT_PQ';
const LAVIS = 'https://storage.googleapis.com/sfr-vision-language-research/LAVIS/datasets/msvd';

const qaFiles = (split: string): RawFileSpec[] => [
  {
    path: officialQaFile(split),
    url: MEGA_QA,
    optional: true,
    description: `official ${split} questions, a JSON array of {answer, id, question, video_id: N for vid<N>} `
      + '(from the MSVD-QA download; needed unless the LAVIS files are present)',
  },
  {
    path: lavisQaFile(split),
    url: `${LAVIS}/${lavisQaFile(split)}`,
    optional: true,
    description: `LAVIS ${split} questions, a JSON array of {video: "<clip>.avi", question, answer, question_id}`,
  },
];

export const spec: SourceSpec = {
  source: 'msvd-qa',
  version: '1',
  datasets: ['msvd-qa'],
  files: [
    {
      path: YOUTUBE_CLIPS_TAR,
      url: 'https://www.cs.utexas.edu/users/ml/clamp/videoDescription/YouTubeClips.tar',
      description: 'the 1,970 MSVD clips, entries YouTubeClips/<YouTube id>_<start>_<end>.avi',
    },
    {
      path: YOUTUBE_MAPPING_FILE,
      url: 'https://mega.nz/#!QrowUADZ!oFfW_M5wAFsfuFDEJAIa2BeFVHYO0vxit3CMkHFOSfw',
      optional: true,
      description: 'lines "<clip name> vid<N>" mapping the official video_id N to its clip; needed by the official layout',
    },
    ...QA_SPLITS.flatMap(qaFiles),
    {
      path: ANSWER_VOCABULARY_FILE,
      url: `${LAVIS}/${ANSWER_VOCABULARY_FILE}`,
      optional: true,
      description: "LAVIS's answer vocabulary {answer: class index}; the evaluator ranks its answers (see above)",
    },
  ],
  expected: {
    'msvd-qa': { train: 30933, val: 6415, test: 13157 },
  },
};
