/**
 * Parameters by HF name. Each module lists its parameters as specs (name, HF shape, init); the model
 * holds them as tf.Variables in a map, so loading and saving a HF checkpoint is a walk over names.
 *
 * One layout difference from HF: a Linear weight is stored as [in, out], the transpose of HF's
 * [out, in]. The wasm backend runs matmuls on XNNPACK only when neither operand is transposed, so
 * `x @ W` must not need `transposeB`; the transpose happens once, when a checkpoint is read or written.
 */
import * as tf from '@tensorflow/tfjs';
import { hash32, hashExtend } from '../../pipelines/util/random.ts';

export type Init = { kind: 'normal'; std: number } | { kind: 'zeros' } | { kind: 'ones' };

export interface ParamSpec {
  /** The HF parameter name, e.g. `qformer.encoder.layer.0.attention.attention.query.weight`. */
  name: string;
  /** The shape in HF's layout (what a checkpoint holds). */
  hfShape: number[];
  /** A Linear weight: stored transposed, [in, out]. */
  linear: boolean;
  init: Init;
  trainable: boolean;
}

/** Stored shape of a parameter: HF's, except Linear weights which are [in, out]. */
export function storedShape(spec: ParamSpec): number[] {
  return spec.linear ? [spec.hfShape[1]!, spec.hfShape[0]!] : spec.hfShape;
}

export const INIT_STD = 0.02;

/** A Linear layer's weight and (optionally) bias specs; HF init: normal(0, 0.02) and zeros. */
export function linearSpecs(prefix: string, inFeatures: number, outFeatures: number, trainable: boolean, bias = true): ParamSpec[] {
  const specs: ParamSpec[] = [{ name: `${prefix}.weight`, hfShape: [outFeatures, inFeatures], linear: true, init: { kind: 'normal', std: INIT_STD }, trainable }];
  if (bias) specs.push({ name: `${prefix}.bias`, hfShape: [outFeatures], linear: false, init: { kind: 'zeros' }, trainable });
  return specs;
}

export function layerNormSpecs(prefix: string, width: number, trainable: boolean): ParamSpec[] {
  return [
    { name: `${prefix}.weight`, hfShape: [width], linear: false, init: { kind: 'ones' }, trainable },
    { name: `${prefix}.bias`, hfShape: [width], linear: false, init: { kind: 'zeros' }, trainable },
  ];
}

export function tableSpec(name: string, hfShape: number[], trainable: boolean, std = INIT_STD): ParamSpec {
  return { name, hfShape, linear: false, init: { kind: 'normal', std }, trainable };
}

/** Produces a parameter's initial value in its stored shape (the ParamSet takes ownership). */
export type ValueSource = (spec: ParamSpec, index: number) => tf.Tensor;

/**
 * Normal(0, std) values, a pure function of (seed, index): Box-Muller over counter-based uniforms.
 * In plain JS because TF.js's own randomNormal costs about 70 ns a value (13 s for the real-size
 * Q-Former on wasm).
 */
function normalValues(count: number, std: number, seed: number): Float32Array {
  const out = new Float32Array(count);
  const base = hash32(seed);
  for (let i = 0; i < count; i += 2) {
    const radius = std * Math.sqrt(-2 * Math.log((hashExtend(base, i) + 1) / 0x100000001));
    const angle = (2 * Math.PI * hashExtend(base, i + 1)) / 0x100000000;
    out[i] = radius * Math.cos(angle);
    if (i + 1 < count) out[i + 1] = radius * Math.sin(angle);
  }
  return out;
}

/** Fresh HF-style init; every parameter's values are a pure function of `seed` and its position. */
export function randomInit(seed: number): ValueSource {
  return (spec, index) => {
    const shape = storedShape(spec);
    if (spec.init.kind === 'zeros') return tf.zeros(shape);
    if (spec.init.kind === 'ones') return tf.ones(shape);
    return tf.tensor(normalValues(shape.reduce((a, b) => a * b, 1), spec.init.std, hash32(seed, index)), shape);
  };
}

/** The model's parameters: variables by HF name, plus the specs that describe them. */
export class ParamSet {
  readonly specs: ReadonlyMap<string, ParamSpec>;
  readonly variables = new Map<string, tf.Variable>();
  private readonly derivedTensors = new Map<string, { dataIds: object[]; tensor: tf.Tensor }>();

  /** Allocates every parameter, one at a time, from `source` (random init, a checkpoint, or both). */
  constructor(specs: readonly ParamSpec[], source: ValueSource) {
    this.specs = new Map(specs.map((s) => [s.name, s]));
    if (this.specs.size !== specs.length) throw new Error('duplicate parameter names in the model specs');
    specs.forEach((spec, index) => {
      const value = source(spec, index);
      const expected = storedShape(spec);
      if (!tf.util.arraysEqual(value.shape, expected)) {
        value.dispose();
        throw new Error(`parameter "${spec.name}": value of shape [${value.shape}] where the model stores [${expected}]`);
      }
      // The variable shares the tensor's data; disposing the tensor only drops its reference.
      this.variables.set(spec.name, tf.variable(value, spec.trainable));
      value.dispose();
    });
  }

  get(name: string): tf.Variable {
    const variable = this.variables.get(name);
    if (variable === undefined) throw new Error(`the model has no parameter "${name}"`);
    return variable;
  }

  /**
   * A tensor computed from parameters `names` (a transpose, a concatenation), kept until one of
   * their data changes (an assign gives a variable a new dataId) or the set is disposed. Not
   * differentiable: for frozen parameters.
   */
  derived(names: readonly string[], kind: string, compute: (values: tf.Variable[]) => tf.Tensor): tf.Tensor {
    const variables = names.map((n) => this.get(n));
    const key = `${names.join('+')}:${kind}`;
    const kept = this.derivedTensors.get(key);
    if (kept !== undefined && kept.dataIds.every((id, i) => id === variables[i]!.dataId)) return kept.tensor;
    kept?.tensor.dispose();
    const tensor = tf.tidy(() => tf.keep(compute(variables)));
    this.derivedTensors.set(key, { dataIds: variables.map((v) => v.dataId), tensor });
    return tensor;
  }

  has(name: string): boolean {
    return this.variables.has(name);
  }

  /** The variables an optimizer should update (the Q-Former side); everything else is frozen. */
  trainable(): tf.Variable[] {
    return [...this.variables.values()].filter((v) => v.trainable);
  }

  count(filter: (spec: ParamSpec) => boolean = () => true): number {
    let total = 0;
    for (const spec of this.specs.values()) if (filter(spec)) total += spec.hfShape.reduce((a, b) => a * b, 1);
    return total;
  }

  dispose(): void {
    for (const v of this.variables.values()) v.dispose();
    for (const d of this.derivedTensors.values()) d.tensor.dispose();
    this.variables.clear();
    this.derivedTensors.clear();
  }
}
