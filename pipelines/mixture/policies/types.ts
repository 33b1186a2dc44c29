/**
 * A mixing policy turns training-set sizes into sampling probabilities. Every policy has this one
 * signature and lives in its own file; `index.ts` selects them by name.
 */

export interface DatasetSize {
  id: string;
  /** Training records (training splits only). */
  size: number;
}

export interface PolicyParameters {
  /** `temperature`: p ∝ S^(1/T). */
  temperature?: number;
  /** `unimax`: the most epochs any dataset may take of the budget. */
  epochCap?: number;
  /** `unimax`: total draws of the run (steps × global batch size). */
  budget?: number;
  /** `weights`: an explicit, unnormalized weight per dataset. */
  weights?: Readonly<Record<string, number>>;
}

/** Probabilities aligned with `datasets`, summing to 1. */
export type MixturePolicy = (datasets: readonly DatasetSize[], parameters: PolicyParameters) => number[];
