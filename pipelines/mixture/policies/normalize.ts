/** Scales non-negative weights to probabilities; `what` names the weights in the error. */
export function normalize(weights: readonly number[], what: string): number[] {
  let total = 0;
  for (const w of weights) {
    if (!Number.isFinite(w) || w < 0) throw new Error(`${what}: weights must be finite and non-negative, got ${w}`);
    total += w;
  }
  if (!(total > 0) || !Number.isFinite(total)) throw new Error(`${what}: weights sum to ${total}; need a positive finite sum`);
  return weights.map((w) => w / total);
}
