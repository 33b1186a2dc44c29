/**
 * Visual Dialog v1.0 val: one record per round. A record's `question` is that round's question,
 * `dialog` the rounds before it, `context` the image caption, `choices` the round's 100 answer
 * options and `answerIndex` the ground truth among them (MRR ranks the options).
 *
 * The file is read in three streamed passes (question strings, answer strings, dialogs), because
 * rounds refer to the shared string tables by index. A dialog is the unit of quarantine: a dialog
 * with fewer than ten rounds (`too-few-rounds`; val dialogs always have ten, so a shorter one is a
 * damaged record, and its later rounds would lose their history) or with any bad round is
 * quarantined as one entry, at the dialog's position.
 */
import type { RawAccess } from '../../raw/access.ts';
import { asObject, BadRecord, int, list, objList, str } from '../common/fields.ts';
import { quarantined, sourceRecord, type RecordPlace } from '../common/source-record.ts';
import { choiceIndex } from '../scienceqa/choice-index.ts';
import type { AdapterOutput, SourceAdapter } from '../types.ts';
import { openJsonStream, type JsonStreamInput } from '../vizwiz/json-stream-input.ts';
import { DIALOGS_FILE, DIALOGS_ZIP, IMAGES_ZIP, imageMember, OPTIONS, ROUNDS, spec } from './spec.ts';

const SOURCE = spec.source;

async function stringTable(input: JsonStreamInput, key: 'questions' | 'answers'): Promise<string[]> {
  const table: string[] = [];
  for await (const { value } of input.members(['data', key])) {
    if (typeof value !== 'string') throw new Error(`${SOURCE}: ${input.label} data.${key} holds a ${typeof value}, not a string; fetch the file again`);
    table.push(value);
  }
  return table;
}

/** The string at `index` of data.questions or data.answers; `where` names the field for the quarantine detail. */
function tableEntry(table: string[], index: unknown, where: string, what: string): string {
  if (typeof index !== 'number' || !Number.isInteger(index)) throw new BadRecord('bad-type', `${where} is ${JSON.stringify(index)}, expected an integer`);
  if (index < 0 || index >= table.length) throw new BadRecord('bad-index', `${where} ${index} is outside data.${what} (${table.length} strings)`);
  return table[index];
}

interface Round {
  question: string;
  answer: string;
  options: string[];
  gtIndex: number;
}

function parseRound(value: unknown, r: number, questions: string[], answers: string[]): Round {
  const round = asObject(value, `round ${r + 1}`);
  const at = `round ${r + 1}`;
  const question = tableEntry(questions, int(round, 'question'), `${at} "question"`, 'questions');
  const answer = tableEntry(answers, int(round, 'answer'), `${at} "answer"`, 'answers');
  const options = list(round, 'answer_options').map((id, k) => tableEntry(answers, id, `${at} "answer_options"[${k}]`, 'answers'));
  if (options.length !== OPTIONS) throw new BadRecord('bad-value', `${at} has ${options.length} answer options, expected ${OPTIONS}`);
  const gtIndex = choiceIndex(round, 'gt_index', options);
  if (options[gtIndex] !== answer) throw new BadRecord('bad-value', `${at}: answer_options[gt_index] is not the round's answer`);
  return { question, answer, options, gtIndex };
}

function dialogRecords(place: RecordPlace, value: unknown, questions: string[], answers: string[], members: Set<string>): AdapterOutput[] {
  const dialog = asObject(value, 'dialog');
  const imageId = int(dialog, 'image_id');
  const caption = str(dialog, 'caption');
  const rawRounds = objList(dialog, 'dialog');
  if (rawRounds.length < ROUNDS) throw new BadRecord('too-few-rounds', `image ${imageId} has ${rawRounds.length} rounds, val dialogs have ${ROUNDS}`);
  const rounds = rawRounds.map((round, r) => parseRound(round, r, questions, answers));
  const member = imageMember(imageId);
  if (!members.has(member)) throw new BadRecord('unknown-image', `${IMAGES_ZIP} has no entry ${member}`);
  return rounds.map((round, r) => sourceRecord({
    ...place,
    id: `visdial/val/${imageId}-${r + 1}`,
    question: round.question,
    dialog: rounds.slice(0, r).map(({ question, answer }) => ({ question, answer })),
    context: caption,
    choices: round.options,
    answerIndex: round.gtIndex,
    answers: [round.answer],
    answerWeights: [1],
    meta: JSON.stringify({ image_id: imageId, round: r + 1 }),
    media: [{ kind: 'image', source: SOURCE, path: IMAGES_ZIP, member }],
  }));
}

async function* read(raw: RawAccess): AsyncGenerator<AdapterOutput> {
  const input = await openJsonStream(raw, SOURCE, { archive: DIALOGS_ZIP, member: DIALOGS_FILE });
  if (!input) throw new Error(`${SOURCE}: neither ${DIALOGS_ZIP} nor ${DIALOGS_FILE} is in ${raw.root(SOURCE)}; run ingest for "${SOURCE}"`);
  if (!raw.exists(SOURCE, IMAGES_ZIP)) throw new Error(`${SOURCE}: ${IMAGES_ZIP} is missing from ${raw.root(SOURCE)}; run ingest for "${SOURCE}"`);
  const questions = await stringTable(input, 'questions');
  const answers = await stringTable(input, 'answers');
  const members = new Set(await raw.members(SOURCE, IMAGES_ZIP));
  for await (const { key, value } of input.members(['data', 'dialogs'])) {
    const place: RecordPlace = { dataset: 'visdial', split: 'val', sourceFile: input.file, sourceIndex: key as number };
    try {
      yield* dialogRecords(place, value, questions, answers, members);
    } catch (err) {
      if (!(err instanceof BadRecord)) throw err;
      yield quarantined(place, err);
    }
  }
}

export const adapter: SourceAdapter = { spec, read };
