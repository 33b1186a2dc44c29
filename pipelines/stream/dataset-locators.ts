/** The training-record locators of the mixture's datasets, read from their manifests. */
import type { MixturePlan } from '../mixture/index.ts';
import { readDatasetManifest } from '../shards/manifest.ts';
import { TrainingRecordLocator } from './record-locator.ts';

export function loadLocators(manifestsDir: string, datasets: readonly string[]): Map<string, TrainingRecordLocator> {
  return new Map(datasets.map((dataset) => {
    const manifest = readDatasetManifest(manifestsDir, dataset);
    if (!manifest) throw new Error(`dataset ${dataset} is in the mixture but not built (no manifest in ${manifestsDir}); run build-shards or drop it from the mixture`);
    if (manifest.heldOut) throw new Error(`dataset ${dataset} is held out (zero-shot evaluation only); it can never be streamed for training`);
    return [dataset, TrainingRecordLocator.fromManifest(manifest)];
  }));
}

export function trainingSizes(locators: ReadonlyMap<string, TrainingRecordLocator>): Record<string, number> {
  return Object.fromEntries([...locators].map(([dataset, locator]) => [dataset, locator.size]));
}

/** A plan made under other manifests would index records that are not there, or not all of them. */
export function assertPlanMatches(plan: MixturePlan, locators: ReadonlyMap<string, TrainingRecordLocator>): void {
  plan.datasets.forEach((dataset, d) => {
    const built = locators.get(dataset)!.size;
    if (plan.sizes[d] !== built) {
      throw new Error(`dataset ${dataset}: the mixture plan was made for ${plan.sizes[d]} training records, the manifests list ${built}; rebuild the plan from the current manifests`);
    }
  });
}
