/**
 * The normalized record: one row per example before templating, the same for all 26 datasets.
 * This file is the one definition of its fields and of its Arrow schema.
 */
import {
  Bool, Field, Float32, Int32, List, Schema, Struct, Utf8,
} from 'apache-arrow';
import type { Task, TaskCategory } from './catalog.ts';

export interface DialogRound {
  question: string;
  answer: string;
}

export interface ConversationTurn {
  /** `human` or `gpt`, as LLaVA writes it. */
  from: string;
  value: string;
}

export interface InstructRecord {
  /** `<dataset>/<split>/<native id>`, stable across rebuilds. */
  id: string;
  dataset: string;
  task: Task;
  category: TaskCategory;
  split: string;
  heldOut: boolean;
  /** Media-store keys (sha256 of the original bytes); a video is its 4 frames in order. */
  images: string[];
  question: string | null;
  /** Reference answers or captions, all of them, with repeats as the annotators gave them. */
  answers: string[];
  answerWeights: number[];
  choices: string[];
  answerIndex: number | null;
  /** Hint, lecture, meme text. */
  context: string | null;
  ocrTokens: string[];
  /** Visual Dialog history: the rounds before this record's question. */
  dialog: DialogRound[];
  /** LLaVA turns, in order. */
  conversation: ConversationTurn[];
  label: number | null;
  /** Dataset-specific extras as a JSON object (NoCaps domain, VQA answer type, ...). */
  meta: string | null;
  sourceFile: string;
  sourceIndex: number;
  sourceSha256: string;
  license: string;
}

const utf8List = () => new List(new Field('item', new Utf8(), false));

export const RECORD_SCHEMA = new Schema([
  new Field('id', new Utf8(), false),
  new Field('dataset', new Utf8(), false),
  new Field('task', new Utf8(), false),
  new Field('category', new Utf8(), false),
  new Field('split', new Utf8(), false),
  new Field('heldOut', new Bool(), false),
  new Field('images', utf8List(), false),
  new Field('question', new Utf8(), true),
  new Field('answers', utf8List(), false),
  new Field('answerWeights', new List(new Field('item', new Float32(), false)), false),
  new Field('choices', utf8List(), false),
  new Field('answerIndex', new Int32(), true),
  new Field('context', new Utf8(), true),
  new Field('ocrTokens', utf8List(), false),
  new Field('dialog', new List(new Field('item', new Struct([
    new Field('question', new Utf8(), false),
    new Field('answer', new Utf8(), false),
  ]), false)), false),
  new Field('conversation', new List(new Field('item', new Struct([
    new Field('from', new Utf8(), false),
    new Field('value', new Utf8(), false),
  ]), false)), false),
  new Field('label', new Int32(), true),
  new Field('meta', new Utf8(), true),
  new Field('sourceFile', new Utf8(), false),
  new Field('sourceIndex', new Int32(), false),
  new Field('sourceSha256', new Utf8(), false),
  new Field('license', new Utf8(), false),
]);

export const RECORD_FIELDS = RECORD_SCHEMA.fields.map((f) => f.name) as (keyof InstructRecord)[];
