/**
 * The Q-Former's vocabulary when its word embeddings come from a checkpoint. The trainer encodes
 * instructions with bert-base-uncased (tokenizers.ts); InstructBLIP's table has one row more, the
 * [DEC] token BLIP-2's pretraining added (id 30522), which no instruction contains. The table's rows
 * set the model's vocabulary size, so they must be the tokenizer's or that one more; and where the
 * folder carries its own Q-Former tokenizer (`qformer_tokenizer/`, as HF's InstructBlipProcessor
 * saves it), its tokens must have bert-base-uncased's ids and its size must be the table's.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { bertBaseUncasedJson } from '../tokenizer.ts';

export const WORD_EMBEDDINGS = 'qformer.embeddings.word_embeddings.weight';

const BERT_BASE_UNCASED_TOKENS = 30522;
const INSTRUCTBLIP_TOKENS = BERT_BASE_UNCASED_TOKENS + 1;

interface TokenizerJson {
  model?: { vocab?: Record<string, number> };
  added_tokens?: { id: number; content: string }[];
}

/** Size of a checkpoint's own Q-Former tokenizer, after checking it is bert-base-uncased plus added tokens. */
function checkpointTokenizerSize(file: string): number {
  let json: TokenizerJson;
  try {
    json = JSON.parse(readFileSync(file, 'utf8')) as TokenizerJson;
  } catch (err) {
    throw new Error(`${file}: not valid JSON (${(err as Error).message})`);
  }
  const theirs = json.model?.vocab ?? {};
  const ours = (bertBaseUncasedJson().model as { vocab: Record<string, number> }).vocab;
  for (const [token, id] of Object.entries(ours)) {
    if (theirs[token] !== id) {
      throw new Error(`${file}: token "${token}" has id ${theirs[token] ?? '(none)'} where bert-base-uncased, which the trainer encodes instructions with, has ${id}; this Q-Former was trained on another vocabulary`);
    }
  }
  const extra = Object.keys(theirs).length - Object.keys(ours).length;
  if (extra !== 0) throw new Error(`${file}: ${extra} WordPiece tokens beyond bert-base-uncased's; this Q-Former was trained on another vocabulary`);
  return Math.max(Object.keys(ours).length, ...(json.added_tokens ?? []).map((t) => t.id + 1));
}

/**
 * Checks a checkpoint table of `rows` rows against the Q-Former tokenizer's `tokenizerVocab` tokens;
 * `folder` is the checkpoint folder (null for a single file, which carries no tokenizer).
 */
export function checkQFormerVocabulary(rows: number, tokenizerVocab: number, folder: string | null, origin: string): void {
  const tokenizerFile = folder === null ? null : path.join(folder, 'qformer_tokenizer', 'tokenizer.json');
  const remedy = `list "qformer.embeddings.word_embeddings" in model.init.fresh to start the table fresh over bert-base-uncased (${tokenizerVocab} rows)`;
  if (tokenizerFile !== null && existsSync(tokenizerFile)) {
    const size = checkpointTokenizerSize(tokenizerFile);
    if (size !== rows) throw new Error(`${origin}: ${WORD_EMBEDDINGS} has ${rows} rows but the checkpoint's Q-Former tokenizer (${tokenizerFile}) has ${size} tokens; ${remedy}`);
    return;
  }
  const instructBlip = tokenizerVocab === BERT_BASE_UNCASED_TOKENS && rows === INSTRUCTBLIP_TOKENS;
  if (rows !== tokenizerVocab && !instructBlip) {
    throw new Error(
      `${origin}: ${WORD_EMBEDDINGS} has ${rows} rows but the Q-Former tokenizer (bert-base-uncased) has ${tokenizerVocab} tokens; ` +
        `InstructBLIP's table is bert-base-uncased + [DEC] = ${INSTRUCTBLIP_TOKENS} rows. Use a checkpoint with that vocabulary, or ${remedy}`,
    );
  }
}
