/** The mixture stage's public API: what the streaming loader, the trainer and the CLI import. */
export { applyAdjustments, DEFAULT_ADJUSTMENTS } from './adjust.ts';
export { loadMixtureConfig, parseMixtureConfig, type MixtureConfig } from './config.ts';
export { expectedLedger, formatLedger, observedLedger, type LedgerRow, type MixtureLedger } from './ledger.ts';
export { feistelPermutation, type IndexPermutation } from './permutation.ts';
export { assertTrainable, buildMixturePlan, planFingerprint, type MixturePlan } from './plan.ts';
export { POLICIES, type DatasetSize, type MixturePolicy, type PolicyName, type PolicyParameters } from './policies/index.ts';
export { MixtureSampler, type Draw, type SamplerOptions, type SamplerState } from './sampler.ts';
export { DEFAULT_MANIFEST_INDEX, readTrainingSizes, trainingSizesFromIndex } from './sizes.ts';
