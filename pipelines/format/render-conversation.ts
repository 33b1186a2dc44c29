/**
 * LLaVA-Instruct conversations as training examples, as LAVIS used them: one example per assistant
 * turn, the earlier turns concatenated in front as plain text, with no system message and no role
 * tags (LAVIS issues #357, #392). Left truncation of long instructions then drops the oldest turns first.
 */
import type { InstructRecord } from '../record.ts';
import type { RenderContext } from './choice.ts';
import { recordError } from './record-fields.ts';
import type { TemplateLibrary } from './templates.ts';
import type { RenderedExample } from './example.ts';

const LLAVA_IMAGE_TOKEN = '<image>';
const TURN_SEPARATOR = '\n';

export function renderConversation(record: InstructRecord, library: TemplateLibrary, _ctx: RenderContext): RenderedExample[] {
  const turns = record.conversation;
  if (turns.length < 2 || turns.length % 2 !== 0) {
    throw recordError(record, `conversation has ${turns.length} turns; need human/gpt pairs, each question answered`);
  }
  const texts = turns.map((turn, i) => {
    const expected = i % 2 === 0 ? 'human' : 'gpt';
    if (turn.from !== expected) throw recordError(record, `conversation turn ${i} is from "${turn.from}", expected "${expected}"`);
    // LLaVA writes `<image>\n` before or `\n<image>` after the first question; the model places the image itself.
    const text = i === 0 ? turn.value.replace(LLAVA_IMAGE_TOKEN, '').trim() : turn.value;
    if (text.trim() === '') throw recordError(record, `conversation turn ${i} is empty`);
    return text;
  });
  const template = library.family('conversation').templates[0];
  const examples: RenderedExample[] = [];
  for (let answer = 1; answer < texts.length; answer += 2) {
    const history = texts.slice(0, answer).join(TURN_SEPARATOR);
    examples.push({ instruction: template.render({ history }), target: texts[answer], templateId: template.id });
  }
  return examples;
}
