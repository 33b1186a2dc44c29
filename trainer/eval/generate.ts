/**
 * Text generation from the frozen LM after a prefix (soft prompt + prompt): greedy decoding or beam
 * search, with a key/value cache, minimum and maximum new-token counts, and EOS handling. Token
 * choices are made on the host from each step's logits.
 */
import * as tf from '@tensorflow/tfjs';
import { type InstructBlip, type SoftPromptInputs, softPrompt } from '../model/instructblip.ts';
import type { Llama } from '../model/llama.ts';
import { type Prefix, leftPaddedPrefix } from '../model/prefix.ts';
import { tidy } from '../model/tidy.ts';
import { beamSearch } from './generate-beam.ts';
import { type Decoder, cachedDecoder, uncachedDecoder } from './generate-decoder.ts';

export interface GenerateOptions {
  maxNewTokens: number;
  /** EOS is not allowed before this many new tokens (LAVIS: min_length 1). Default 1. */
  minNewTokens?: number;
  /** 1 = greedy (default); more = beam search (LAVIS's default is 5). */
  numBeams?: number;
  /** Beam hypotheses score sum(log p) / newTokens ** lengthPenalty (HF's rule). Default 1. */
  lengthPenalty?: number;
  /** Defaults to the LM config's eos_token_id. */
  eosTokenId?: number;
  /** false re-runs the whole sequence each step (for checking the cache). Default true. */
  useCache?: boolean;
}

/** Per row: the new tokens (EOS not included) and whether EOS ended them. */
export interface Generated {
  tokens: number[];
  finished: boolean;
}

export interface ResolvedOptions {
  maxNewTokens: number;
  minNewTokens: number;
  numBeams: number;
  lengthPenalty: number;
  eosTokenId: number;
}

function resolve(lm: Llama, options: GenerateOptions): ResolvedOptions {
  const resolved = {
    maxNewTokens: options.maxNewTokens,
    minNewTokens: options.minNewTokens ?? 1,
    numBeams: options.numBeams ?? 1,
    lengthPenalty: options.lengthPenalty ?? 1,
    eosTokenId: options.eosTokenId ?? lm.cfg.eosTokenId,
  };
  if (!(resolved.maxNewTokens >= 1) || !(resolved.numBeams >= 1) || resolved.minNewTokens > resolved.maxNewTokens) {
    throw new Error(`generate: need maxNewTokens >= 1, numBeams >= 1 and minNewTokens <= maxNewTokens (got ${JSON.stringify(resolved)})`);
  }
  return resolved;
}

/** Index of the largest logit, never `banned` (EOS before the minimum length). */
export function argmax(logits: Float32Array, banned: number | undefined): number {
  let best = -1;
  for (let i = 0; i < logits.length; i++) if (i !== banned && (best < 0 || logits[i]! > logits[best]!)) best = i;
  return best;
}

function greedy(decoder: Decoder, rows: number, options: ResolvedOptions): Generated[] {
  const out: Generated[] = Array.from({ length: rows }, () => ({ tokens: [], finished: false }));
  for (let step = 0; step < options.maxNewTokens; step++) {
    const banned = step < options.minNewTokens ? options.eosTokenId : undefined;
    const chosen = decoder.logits().map((logits, r) => (out[r]!.finished ? options.eosTokenId : argmax(logits, banned)));
    chosen.forEach((token, r) => {
      if (out[r]!.finished) return;
      if (token === options.eosTokenId) out[r]!.finished = true;
      else out[r]!.tokens.push(token);
    });
    if (out.every((g) => g.finished) || step === options.maxNewTokens - 1) break;
    // Finished rows keep being fed (EOS); their outputs are ignored, as in HF.
    decoder.feed(chosen);
  }
  return out;
}

/** Generates after a ready-made prefix (any LLaMA: the demo's stage-0 LM uses it without images). */
export function generateFromPrefix(lm: Llama, prefix: Prefix, options: GenerateOptions): Generated[] {
  const resolved = resolve(lm, options);
  const decoder = (options.useCache ?? true) ? cachedDecoder(lm, prefix) : uncachedDecoder(lm, prefix);
  try {
    const rows = prefix.embeds.shape[0];
    return resolved.numBeams === 1 ? greedy(decoder, rows, resolved) : beamSearch(decoder, rows, resolved);
  } finally {
    decoder.dispose();
  }
}

/** InstructBLIP generation: soft prompt from the images and instruction, then the LM prompt ids. */
export function generate(model: InstructBlip, inputs: SoftPromptInputs & { promptIds: readonly (readonly number[])[] }, options: GenerateOptions): Generated[] {
  const prefix = tidy(() => leftPaddedPrefix(model.lm, softPrompt(model, inputs), inputs.promptIds));
  try {
    return generateFromPrefix(model.lm, prefix, options);
  } finally {
    tf.dispose([prefix.embeds, prefix.mask]);
  }
}
