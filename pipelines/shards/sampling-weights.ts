/**
 * The default mixture's sampling probabilities (InstructBLIP §2.4): p_d ∝ sqrt(S_d) over the
 * held-in datasets, S_d being the number of training records. Held-out sets are never sampled.
 */
export function sqrtProbabilities(sizes: ReadonlyMap<string, number>): Map<string, number> {
  const roots = [...sizes].map(([id, n]) => [id, Math.sqrt(Math.max(0, n))] as const);
  const total = roots.reduce((sum, [, r]) => sum + r, 0);
  return new Map(roots.map(([id, r]) => [id, total > 0 ? r / total : 0]));
}
