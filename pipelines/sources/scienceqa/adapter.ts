/**
 * ScienceQA test, image-context subset: one record per test problem with an image, with its
 * question, choices, answer index and the textual context (hint, then lecture) the paper's prompt
 * gives as "Context". Documented rules, counted as skips: a test problem without an image is
 * skipped `no-image` (the paper scores the image subset only); problems of the train and val
 * splits are skipped `split-not-evaluated`.
 */
import type { RawAccess } from '../../raw/access.ts';
import { jsonMembers } from '../../util/json-stream.ts';
import { asObject, BadRecord, relativePath, str, strList, type JsonObject } from '../common/fields.ts';
import { parseJson } from '../common/json-input.ts';
import { guarded, quarantined, sourceRecord, type RecordPlace } from '../common/source-record.ts';
import type { AdapterOutput, SourceAdapter } from '../types.ts';
import { choiceIndex } from './choice-index.ts';
import { IMAGES_ZIP, imageMember, PROBLEMS_FILE, spec, SPLITS_FILE } from './spec.ts';

const SOURCE = spec.source;
const DATASET = 'scienceqa';
const META_FIELDS = ['subject', 'topic', 'category', 'skill', 'grade'] as const;

function requireFile(raw: RawAccess, file: string): void {
  if (!raw.exists(SOURCE, file)) throw new Error(`${SOURCE}: ${file} is missing from ${raw.root(SOURCE)}; run ingest for "${SOURCE}"`);
}

/** Hint and lecture may be empty strings: then they add nothing to the context. */
function optionalText(problem: JsonObject, key: string): string {
  const value = problem[key];
  if (value === undefined || value === null) return '';
  if (typeof value !== 'string') throw new BadRecord('bad-type', `"${key}" is ${typeof value}, expected a string`);
  return value.trim();
}

/** Test problem ids and their positions in the split file's test list. */
async function testPids(raw: RawAccess): Promise<Map<string, number>> {
  const splits = parseJson(await raw.readFile(SOURCE, SPLITS_FILE), SOURCE, SPLITS_FILE) as { test?: unknown };
  if (!Array.isArray(splits?.test) || !splits.test.every((p) => typeof p === 'string')) {
    throw new Error(`${SOURCE}: ${SPLITS_FILE} has no "test" list of problem ids; it is not the official file, fetch it again`);
  }
  return new Map(splits.test.map((pid, i) => [pid, i]));
}

function testRecord(place: RecordPlace, pid: string, problem: JsonObject, members: Set<string>): AdapterOutput {
  if (!/^\d+$/.test(pid)) throw new BadRecord('unsafe-path', `problem id ${JSON.stringify(pid)} is not a number`);
  const choices = strList(problem, 'choices');
  const answerIndex = choiceIndex(problem, 'answer', choices);
  const member = imageMember(pid, relativePath(problem, 'image'));
  if (!members.has(member)) throw new BadRecord('unknown-image', `${IMAGES_ZIP} has no entry ${member}`);
  const context = [optionalText(problem, 'hint'), optionalText(problem, 'lecture')].filter(Boolean).join('\n');
  const meta = Object.fromEntries(META_FIELDS.filter((k) => typeof problem[k] === 'string').map((k) => [k, problem[k]]));
  return sourceRecord({
    ...place,
    id: `${DATASET}/test/${pid}`,
    question: str(problem, 'question'),
    choices,
    answerIndex,
    answers: [choices[answerIndex]],
    answerWeights: [1],
    context: context || null,
    meta: JSON.stringify(meta),
    media: [{ kind: 'image', source: SOURCE, path: IMAGES_ZIP, member }],
  });
}

async function* read(raw: RawAccess): AsyncGenerator<AdapterOutput> {
  [PROBLEMS_FILE, SPLITS_FILE, IMAGES_ZIP].forEach((file) => requireFile(raw, file));
  const pending = await testPids(raw);
  const members = new Set(await raw.members(SOURCE, IMAGES_ZIP));
  let index = 0;
  for await (const { key, value } of jsonMembers(raw.stream(SOURCE, PROBLEMS_FILE), [], `${SOURCE}: ${PROBLEMS_FILE}`)) {
    const pid = String(key);
    const place: RecordPlace = { dataset: DATASET, split: 'test', sourceFile: PROBLEMS_FILE, sourceIndex: index++ };
    if (!pending.delete(pid)) {
      const split = (value as { split?: unknown } | null)?.split;
      yield { skip: { dataset: DATASET, split: typeof split === 'string' ? split : 'unknown', rule: 'split-not-evaluated' } };
      continue;
    }
    const image = (value as { image?: unknown } | null)?.image;
    if (image === null || image === undefined || image === '') {
      yield { skip: { dataset: DATASET, split: 'test', rule: 'no-image' } };
      continue;
    }
    yield await guarded(place, async () => testRecord(place, pid, asObject(value, 'problem'), members));
  }
  for (const [pid, position] of pending) {
    yield quarantined({ dataset: DATASET, split: 'test', sourceFile: SPLITS_FILE, sourceIndex: position },
      new BadRecord('unknown-problem', `test problem ${pid} of ${SPLITS_FILE} is not in ${PROBLEMS_FILE}`));
  }
}

export const adapter: SourceAdapter = { spec, read };
