/**
 * IconQA test, multiple-choice-text sub-task: one record per choose_txt problem with its question,
 * text options and answer index. Problems of the other sub-tasks (choose_img, fill_in_blank) are
 * skipped by the rule `unused-subtask-<ques_type>` and counted; the sub-task is read from each
 * problem's data.json (`ques_type`), the folder name only locates it.
 */
import type { RawAccess } from '../../raw/access.ts';
import { asObject, BadRecord, str, strList, type JsonObject } from '../common/fields.ts';
import { parseJson } from '../common/json-input.ts';
import { guarded, sourceRecord, type RecordPlace } from '../common/source-record.ts';
import { choiceIndex } from '../scienceqa/choice-index.ts';
import type { AdapterOutput, SourceAdapter } from '../types.ts';
import { DATA_ZIP, spec, TEST_PROBLEM } from './spec.ts';

const SOURCE = spec.source;
const DATASET = 'iconqa';
const EVALUATED = 'choose_txt';

function choiceRecord(place: RecordPlace, pid: string, dir: string, problem: JsonObject, members: Set<string>): AdapterOutput {
  const choices = strList(problem, 'choices');
  const answerIndex = choiceIndex(problem, 'answer', choices);
  const member = `${dir}/image.png`;
  if (!members.has(member)) throw new BadRecord('unknown-image', `${DATA_ZIP} has no entry ${member}`);
  const meta = Object.fromEntries(['grade', 'label'].filter((k) => typeof problem[k] === 'string').map((k) => [k, problem[k]]));
  return sourceRecord({
    ...place,
    id: `${DATASET}/test/${pid}`,
    question: str(problem, 'question'),
    choices,
    answerIndex,
    answers: [choices[answerIndex]],
    answerWeights: [1],
    meta: JSON.stringify(meta),
    media: [{ kind: 'image', source: SOURCE, path: DATA_ZIP, member }],
  });
}

async function* read(raw: RawAccess): AsyncGenerator<AdapterOutput> {
  if (!raw.exists(SOURCE, DATA_ZIP)) throw new Error(`${SOURCE}: ${DATA_ZIP} is missing from ${raw.root(SOURCE)}; run ingest for "${SOURCE}"`);
  const names = await raw.members(SOURCE, DATA_ZIP);
  const members = new Set(names);
  let index = 0;
  for (const name of names) {
    const match = TEST_PROBLEM.exec(name);
    if (!match) continue;
    const pid = match[2];
    const place: RecordPlace = { dataset: DATASET, split: 'test', sourceFile: DATA_ZIP, sourceIndex: index++ };
    const bytes = await raw.readMember(SOURCE, DATA_ZIP, name);
    let problem: JsonObject;
    try {
      problem = asObject(parseJson(bytes, SOURCE, `${DATA_ZIP}:${name}`), 'data.json');
    } catch (err) {
      // One unreadable problem file is that problem's fault, not the archive's.
      yield { quarantine: { ...place, reason: err instanceof BadRecord ? err.reason : 'bad-json', detail: `${name}: ${(err as Error).message}` } };
      continue;
    }
    const subtask = problem.ques_type;
    if (typeof subtask === 'string' && subtask !== EVALUATED) {
      yield { skip: { dataset: DATASET, split: 'test', rule: `unused-subtask-${subtask}` } };
      continue;
    }
    yield await guarded(place, async () => {
      str(problem, 'ques_type'); // reached only when it is missing or not a string: quarantined here
      return choiceRecord(place, pid, name.slice(0, -'/data.json'.length), problem, members);
    });
  }
}

export const adapter: SourceAdapter = { spec, read };
