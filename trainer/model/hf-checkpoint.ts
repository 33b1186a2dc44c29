/**
 * Moves parameters between HF checkpoints and a ParamSet: names match HF exactly; shapes are checked
 * against HF's layout, and Linear weights are transposed to the [in, out] layout the model stores.
 */
import * as tf from '@tensorflow/tfjs';
import type { SafetensorsReader, TensorData, TensorToWrite } from '../weights.ts';
import { type ParamSet, type ParamSpec, type ValueSource, storedShape } from './params.ts';

/** Read access to a checkpoint's tensors by name (one file, a sharded folder, or a test's map). */
export interface TensorLookup {
  names(): string[];
  has(name: string): boolean;
  read(name: string): TensorData;
}

export function mapLookup(tensors: ReadonlyMap<string, TensorData>): TensorLookup {
  return {
    names: () => [...tensors.keys()],
    has: (name) => tensors.has(name),
    read(name) {
      const t = tensors.get(name);
      if (t === undefined) throw new Error(`checkpoint has no tensor "${name}"`);
      return t;
    },
  };
}

/** One open safetensors file as a lookup. */
export function readerLookup(reader: SafetensorsReader): TensorLookup {
  return { names: () => [...reader.tensors.keys()], has: (name) => reader.has(name), read: (name) => reader.read(name) };
}

/** Buffers some HF checkpoints carry that are not parameters (recomputed here). */
const NON_PARAMETER_BUFFERS = [/(^|\.)position_ids$/, /\.rotary_emb\.inv_freq$/];

export interface CheckpointSourceOptions {
  /** Checkpoint name for a model name (e.g. prefixing `language_model.` for a bare LM folder). */
  checkpointName?: (modelName: string) => string;
  /** Where to take parameters this checkpoint does not cover; without it, a missing one is an error. */
  otherwise?: { covers: (spec: ParamSpec) => boolean; source: ValueSource };
}

/** A ValueSource reading from `lookup`; every error names the tensor and both shapes. */
export function checkpointSource(lookup: TensorLookup, origin: string, options: CheckpointSourceOptions = {}): ValueSource {
  const nameOf = options.checkpointName ?? ((n: string) => n);
  return (spec, index) => {
    const name = nameOf(spec.name);
    if (!lookup.has(name)) {
      if (options.otherwise?.covers(spec)) return options.otherwise.source(spec, index);
      throw new Error(`${origin}: missing tensor "${name}" (model expects shape [${spec.hfShape}])`);
    }
    const data = lookup.read(name);
    if (!tf.util.arraysEqual([...data.shape], spec.hfShape)) {
      throw new Error(`${origin}: tensor "${name}" has shape [${data.shape}] but the model expects [${spec.hfShape}] (check the config)`);
    }
    if (data.values instanceof Int32Array) throw new Error(`${origin}: tensor "${name}" is an integer tensor; parameters must be floating point`);
    return tf.tidy(() => {
      const t = tf.tensor(data.values, [...data.shape], 'float32');
      return spec.linear ? t.transpose() : t;
    });
  };
}

/** Names in the checkpoint (under `prefix`) the model has no use for: an error unless known buffers. */
export function assertNoUnexpected(lookup: TensorLookup, origin: string, expected: Iterable<string>, belongs: (name: string) => boolean = () => true): void {
  const wanted = new Set(expected);
  const unexpected = lookup.names().filter((n) => belongs(n) && !wanted.has(n) && !NON_PARAMETER_BUFFERS.some((re) => re.test(n)));
  if (unexpected.length > 0) {
    const shown = unexpected.slice(0, 8).join(', ');
    throw new Error(`${origin}: ${unexpected.length} tensor(s) the model does not have: ${shown}${unexpected.length > 8 ? ', ...' : ''} (config mismatch?)`);
  }
}

/** The parameters in HF names and layout, ready for writeSafetensorsFile. */
export function toHFTensors(params: ParamSet, include: (spec: ParamSpec) => boolean = () => true): TensorToWrite[] {
  const out: TensorToWrite[] = [];
  for (const spec of params.specs.values()) {
    if (!include(spec)) continue;
    const variable = params.get(spec.name);
    if (!tf.util.arraysEqual(variable.shape, storedShape(spec))) throw new Error(`parameter "${spec.name}": holds shape [${variable.shape}], expected [${storedShape(spec)}]`);
    const hfLayout = spec.linear ? variable.transpose() : variable;
    out.push({ name: spec.name, shape: spec.hfShape, values: Float32Array.from(hfLayout.dataSync()) });
    if (hfLayout !== variable) hfLayout.dispose();
  }
  return out;
}
