/**
 * Which subset a record of llava_instruct_150k.json belongs to. The combined file does not say, so
 * it is told from the content:
 *  - one exchange whose question is one of the 16 detailed-description instructions (LLaVA paper,
 *    Table 12) -> llava-detail;
 *  - more than one exchange -> llava-conversation;
 *  - any other single exchange -> llava-reasoning.
 * A conversation record with a single exchange lands in llava-reasoning; the per-subset files,
 * when present, avoid that.
 */
import type { ConversationTurn } from '../../record.ts';

export const DETAIL_INSTRUCTIONS = [
  'Describe the following image in detail.',
  'Provide a detailed description of the given image.',
  'Give an elaborate explanation of the image you see.',
  'Share a comprehensive rundown of the presented image.',
  'Offer a thorough analysis of the image.',
  'Explain the various aspects of the image before you.',
  'Clarify the contents of the displayed image with great detail.',
  'Characterize the image using a well-detailed description.',
  'Break down the elements of the image in a detailed manner.',
  'Walk through the important details of the image.',
  'Portray the image with a rich, descriptive narrative.',
  'Narrate the contents of the image with precision.',
  'Analyze the image in a comprehensive and detailed manner.',
  'Illustrate the image through a descriptive explanation.',
  'Examine the image closely and share its details.',
  'Write an exhaustive depiction of the given image.',
];

const normalize = (text: string) => text.trim().replace(/\.$/, '').toLowerCase();
const DETAIL = new Set(DETAIL_INSTRUCTIONS.map(normalize));

/** `turns` have `<image>` removed already. */
export function subsetOf(turns: ConversationTurn[]): 'llava-conversation' | 'llava-detail' | 'llava-reasoning' {
  if (turns.length > 2) return 'llava-conversation';
  return DETAIL.has(normalize(turns[0].value)) ? 'llava-detail' : 'llava-reasoning';
}
