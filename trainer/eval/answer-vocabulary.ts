/**
 * The answer vocabulary MSVD-QA and MSRVTT-QA are ranked over (paper §2.5). Records name LAVIS's
 * train_ans2label.json in meta.answerVocabulary, a file under raw/<source>/ that the manifest lists
 * with its sha256: its answers, in class-index order. Without the file, the distinct answers of the
 * dataset's train split, in the order they first appear (build-shards writes every split present).
 * The source's spec.ts describes the contract; vocabularyAnswers is its one parser of the file.
 */
import type { RawAccess } from '../../pipelines/raw/access.ts';
import type { InstructRecord } from '../../pipelines/record.ts';
import type { DatasetManifest } from '../../pipelines/shards/manifest.ts';
import { readSplit, type ShardDirs } from '../../pipelines/shards/shard-reader.ts';
import { vocabularyAnswers } from '../../pipelines/sources/msvd-qa/answer-vocabulary.ts';

export interface AnswerVocabulary {
  answers: string[];
  /** Where it came from, for the summary: the raw file or the train split. */
  origin: string;
}

export const VOCABULARY_SPLIT = 'train';

/** The file the records name (meta.answerVocabulary), or null; records naming different files are an error. */
export function namedVocabularyFile(records: readonly InstructRecord[]): string | null {
  const names = new Set<string>();
  for (const record of records) {
    const meta: unknown = record.meta === null ? null : JSON.parse(record.meta);
    const name = (meta as { answerVocabulary?: unknown } | null)?.answerVocabulary;
    if (typeof name === 'string') names.add(name);
  }
  if (names.size > 1) throw new Error(`records of ${records[0]!.dataset} name different answer vocabularies (${[...names].join(', ')}); rebuild the dataset`);
  return names.size === 1 ? [...names][0]! : null;
}

/** Distinct answers in order of first appearance. */
export function distinctAnswers(records: Iterable<InstructRecord>): string[] {
  const seen = new Set<string>();
  for (const record of records) for (const answer of record.answers) seen.add(answer);
  return [...seen];
}

async function fromRawFile(manifest: DatasetManifest, raw: RawAccess, file: string): Promise<AnswerVocabulary> {
  const label = `raw/${manifest.source}/${file}`;
  const recorded = manifest.rawInputs.find((input) => input.source === manifest.source && input.path === file);
  const actual = await raw.sha256(manifest.source, file);
  if (recorded !== undefined && recorded.sha256 !== actual) {
    throw new Error(`${label} changed since ${manifest.dataset} was built (sha256 ${actual.slice(0, 12)}..., the manifest records ${recorded.sha256.slice(0, 12)}...); restore it or rebuild: npm run build-shards -- --datasets ${manifest.dataset} --force`);
  }
  const answers = vocabularyAnswers(JSON.parse((await raw.readFile(manifest.source, file)).toString('utf8')), label);
  if (answers.length === 0) throw new Error(`${label} is empty; run npm run ingest for "${manifest.source}" again`);
  return { answers, origin: `${label} (${answers.length} answers)` };
}

async function fromTrainSplit(manifest: DatasetManifest, dirs: ShardDirs): Promise<AnswerVocabulary> {
  const records: InstructRecord[] = [];
  for await (const record of readSplit(dirs, manifest.dataset, VOCABULARY_SPLIT)) records.push(record);
  const answers = distinctAnswers(records);
  if (answers.length === 0) throw new Error(`${manifest.dataset}: the ${VOCABULARY_SPLIT} split has no answers to rank`);
  return { answers, origin: `distinct answers of the ${VOCABULARY_SPLIT} split (${answers.length})` };
}

export async function loadAnswerVocabulary(
  manifest: DatasetManifest, evalRecords: readonly InstructRecord[], raw: RawAccess, dirs: ShardDirs, log: (line: string) => void,
): Promise<AnswerVocabulary> {
  const file = namedVocabularyFile(evalRecords);
  if (file !== null && raw.exists(manifest.source, file)) return fromRawFile(manifest, raw, file);
  const hasTrain = (manifest.splits[VOCABULARY_SPLIT]?.records ?? 0) > 0;
  if (!hasTrain) {
    const wanted = file ?? 'train_ans2label.json';
    throw new Error(`${manifest.dataset}: no answer vocabulary to rank over: raw/${manifest.source}/${wanted} is missing and the ${VOCABULARY_SPLIT} split is not built; run npm run ingest -- --datasets ${manifest.dataset}, then npm run build-shards -- --datasets ${manifest.dataset}`);
  }
  if (file !== null) log(`${manifest.dataset}: raw/${manifest.source}/${file} not found; ranking over the ${VOCABULARY_SPLIT} split's distinct answers instead`);
  return fromTrainSplit(manifest, dirs);
}
