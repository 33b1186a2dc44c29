/**
 * One LLaVA record, checked. The `<image>` placeholder is taken out of the stored text (as LAVIS
 * does): the formatter puts the image's query embeddings in front of the instruction anyway, and a
 * literal "<image>" would otherwise reach the tokenizer. Where it stood in the first human turn is
 * kept in meta, so the original text can be rebuilt.
 */
import type { ConversationTurn } from '../../record.ts';
import { cocoIdOf } from '../coco/images.ts';
import { BadRecord, objList, relativePath, str, type JsonObject } from '../common/fields.ts';

export interface LlavaEntry {
  id: string;
  cocoId: number;
  turns: ConversationTurn[];
  /** Where `<image>` stood in the first human turn. */
  imageToken: 'before' | 'after' | 'none';
}

const IMAGE_TOKEN = '<image>';

function withoutImageToken(value: string): string {
  return value.split(IMAGE_TOKEN).join('').trim();
}

function imageTokenPlace(first: string): LlavaEntry['imageToken'] {
  const at = first.indexOf(IMAGE_TOKEN);
  if (at < 0) return 'none';
  return first.slice(0, at).trim() === '' ? 'before' : 'after';
}

/** Human and gpt turns alternate, human first, every question answered. */
function turnsOf(entry: JsonObject): ConversationTurn[] {
  const turns = objList(entry, 'conversations').map((turn, i) => {
    const from = str(turn, 'from');
    const expected = i % 2 === 0 ? 'human' : 'gpt';
    if (from !== expected) throw new BadRecord('bad-value', `"conversations"[${i}].from is "${from}", expected "${expected}"`);
    return { from, value: str(turn, 'value') };
  });
  if (turns.length % 2 !== 0) throw new BadRecord('bad-value', `"conversations" ends with an unanswered human turn`);
  return turns;
}

export function parseEntry(entry: JsonObject): LlavaEntry {
  const id = str(entry, 'id');
  // LLaVA names images by bare train2017 file name; later releases prefix a folder.
  const image = relativePath(entry, 'image');
  if (!/(^|\/)\d+\.jpg$/i.test(image)) throw new BadRecord('bad-value', `"image" ${JSON.stringify(image)} is not a COCO file name like 000000033471.jpg`);
  const turns = turnsOf(entry);
  return {
    id,
    cocoId: cocoIdOf(image)!,
    imageToken: imageTokenPlace(turns[0].value),
    turns: turns.map((t) => ({ from: t.from, value: withoutImageToken(t.value) })),
  };
}
