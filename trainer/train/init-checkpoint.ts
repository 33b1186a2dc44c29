/**
 * `model.init` at build time: opens the checkpoint, sets the Q-Former's vocabulary from its table,
 * and gives the value of every parameter outside the LM: the checkpoint's tensor (HF names and
 * layout, Linear weights transposed as checkpointSource does, every shape checked) or, for the
 * parameters `fresh` names, model.initSeed's random init. Before anything is allocated it refuses
 * parameters the checkpoint lacks (all in one error), `fresh` entries that match nothing, and
 * tensors the model has no place for.
 */
import { closeSync, existsSync, openSync, statSync } from 'node:fs';
import { openCheckpointFolder } from '../checkpoint-folder.ts';
import type { InstructBlipConfig } from '../model/config.ts';
import { type TensorLookup, assertNoUnexpected, checkpointSource, readerLookup } from '../model/hf-checkpoint.ts';
import { LM_PREFIX } from '../model/instructblip.ts';
import { type ParamSpec, type ValueSource, randomInit } from '../model/params.ts';
import { SafetensorsReader, fileSource } from '../weights.ts';
import type { ModelInit } from './init-config.ts';
import { trainingSpecs } from './model.ts';
import { WORD_EMBEDDINGS, checkQFormerVocabulary } from './qformer-vocab.ts';

export interface InitPlan {
  cfg: InstructBlipConfig;
  /** Values of the parameters outside the LM. */
  source: ValueSource;
  /** Whether a parameter starts from model.initSeed rather than the checkpoint. */
  fresh(name: string): boolean;
  close(): void;
}

interface OpenTensors {
  lookup: TensorLookup;
  /** The folder, or null for a single file. */
  folder: string | null;
  close(): void;
}

function openTensors(checkpoint: string): OpenTensors {
  if (!existsSync(checkpoint)) throw new Error(`model.init.checkpoint ${checkpoint} does not exist`);
  if (statSync(checkpoint).isDirectory()) {
    const folder = openCheckpointFolder(checkpoint);
    return { lookup: folder, folder: checkpoint, close: () => folder.close() };
  }
  const fd = openSync(checkpoint, 'r');
  try {
    return { lookup: readerLookup(new SafetensorsReader(fileSource(fd), checkpoint)), folder: null, close: () => closeSync(fd) };
  } catch (err) {
    closeSync(fd);
    throw err;
  }
}

/** `fresh` entries as name prefixes ending at a dot or the end, `*` matching one name part. */
function freshPatterns(entries: readonly string[]): RegExp[] {
  return entries.map((entry) => new RegExp(`^${entry.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('[^.]+')}(\\.|$)`));
}

/**
 * BLIP-2 keeps the Q-Former's input LayerNorm at `qformer.layernorm`, InstructBLIP at
 * `qformer.embeddings.layernorm`: the same LayerNorm over the query embeddings, so either fills the other.
 */
const LAYERNORM_NAMES = ['qformer.embeddings.layernorm.', 'qformer.layernorm.'] as const;

function nameInCheckpoint(lookup: TensorLookup, name: string): string {
  if (lookup.has(name)) return name;
  const [a, b] = LAYERNORM_NAMES;
  const other = name.startsWith(a) ? b + name.slice(a.length) : name.startsWith(b) ? a + name.slice(b.length) : name;
  return lookup.has(other) ? other : name;
}

/** Names either Q-Former variant has, so an InstructBLIP checkpoint also serves an instruction-agnostic run. */
function knownNames(cfg: InstructBlipConfig): string[] {
  return [true, false].flatMap((instructionAware) => trainingSpecs({ ...cfg, qformer: { ...cfg.qformer, instructionAware } }).map((s) => s.name));
}

function missingError(origin: string, missing: readonly ParamSpec[]): Error {
  const groups = new Map<string, number>();
  for (const spec of missing) {
    const name = spec.name.replace(/\.\d+\./, '.*.');
    groups.set(name, (groups.get(name) ?? 0) + 1);
  }
  const lines = [...groups].map(([name, n]) => `  ${name}${n > 1 ? ` (${n} layers)` : ''}`);
  return new Error(
    `${origin}: ${missing.length} parameter(s) of the model are not in the checkpoint:\n${lines.join('\n')}\n` +
      'List those that may start from model.initSeed in model.init.fresh (name prefixes, * for one name part, e.g. "qformer.encoder.layer.*.intermediate"), or use a checkpoint that has them',
  );
}

/**
 * Opens `init.checkpoint` and plans every non-LM parameter; `configFor` builds the model's config for
 * a Q-Former vocabulary size, `tokenizerVocab` is the Q-Former tokenizer's. The caller closes the plan.
 */
export function openInitPlan(init: ModelInit, seed: number, tokenizerVocab: number, configFor: (qformerVocab: number) => InstructBlipConfig): InitPlan {
  const origin = `model.init.checkpoint ${init.checkpoint}`;
  const tensors = openTensors(init.checkpoint);
  try {
    const patterns = freshPatterns(init.fresh);
    const fresh = (name: string) => patterns.some((re) => re.test(name));
    const { lookup } = tensors;
    const tableFromCheckpoint = configFor(tokenizerVocab).qformer.instructionAware && !fresh(WORD_EMBEDDINGS) && lookup.has(WORD_EMBEDDINGS);
    const rows = tableFromCheckpoint ? lookup.read(WORD_EMBEDDINGS).shape[0]! : tokenizerVocab;
    if (tableFromCheckpoint) checkQFormerVocabulary(rows, tokenizerVocab, tensors.folder, origin);
    const cfg = configFor(rows);
    const specs = trainingSpecs(cfg).filter((s) => !s.name.startsWith(LM_PREFIX));
    init.fresh.forEach((entry, i) => {
      if (!specs.some((s) => patterns[i]!.test(s.name))) throw new Error(`model.init.fresh: "${entry}" matches no parameter of the model (the LM's excepted)`);
    });
    const missing = specs.filter((s) => !fresh(s.name) && !lookup.has(nameInCheckpoint(lookup, s.name)));
    if (missing.length > 0) throw missingError(origin, missing);
    assertNoUnexpected(lookup, origin, knownNames(cfg), (name) => !name.startsWith(LM_PREFIX));
    const fromCheckpoint = checkpointSource(lookup, origin, { checkpointName: (name) => nameInCheckpoint(lookup, name) });
    const random = randomInit(seed);
    return { cfg, source: (spec, index) => (fresh(spec.name) ? random : fromCheckpoint)(spec, index), fresh, close: tensors.close };
  } catch (err) {
    tensors.close();
    throw err;
  }
}
