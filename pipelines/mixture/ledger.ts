/**
 * The mixture ledger: per dataset, how much has been drawn and how that compares with the plan.
 * It is derived from the sampler state (whose cursors count the global stream, all ranks), so it
 * costs nothing to keep and a checkpoint can store it as plain JSON next to the state.
 */
import type { MixturePlan } from './plan.ts';
import type { SamplerState } from './sampler.ts';

export interface LedgerRow {
  dataset: string;
  size: number;
  draws: number;
  /** draws / size: 2.5 means every record was read twice and half of them a third time. */
  epochs: number;
  targetShare: number;
  /** draws / all draws (equals targetShare in an expected ledger). */
  observedShare: number;
}

export interface MixtureLedger {
  version: 1;
  seed: number;
  policy: string;
  draws: number;
  /** `observed` counts a run's draws; `expected` is what the plan predicts for `draws`. */
  kind: 'observed' | 'expected';
  datasets: LedgerRow[];
}

/** The ledger of a run at `state`. */
export function observedLedger(plan: MixturePlan, state: SamplerState): MixtureLedger {
  const draws = plan.datasets.map((id) => state.cursors[id] ?? 0);
  return ledger(plan, 'observed', draws, state.next);
}

/** What the plan predicts after `totalDraws` draws (steps × global batch size). */
export function expectedLedger(plan: MixturePlan, totalDraws: number): MixtureLedger {
  return ledger(plan, 'expected', plan.probabilities.map((p) => p * totalDraws), totalDraws);
}

function ledger(plan: MixturePlan, kind: MixtureLedger['kind'], draws: number[], total: number): MixtureLedger {
  return {
    version: 1,
    seed: plan.seed,
    policy: plan.policy,
    draws: total,
    kind,
    datasets: plan.datasets.map((dataset, d) => ({
      dataset,
      size: plan.sizes[d],
      draws: draws[d],
      epochs: draws[d] / plan.sizes[d],
      targetShare: plan.probabilities[d],
      observedShare: total > 0 ? draws[d] / total : 0,
    })),
  };
}

/** A markdown table, largest share first; an expected ledger shows how often records repeat. */
export function formatLedger(ledger: MixtureLedger): string {
  const percent = (x: number) => `${(100 * x).toFixed(2)}%`;
  const count = (x: number) => Math.round(x).toLocaleString('en-US');
  const repeats = (epochs: number) => (epochs > 1 ? `each record ~${epochs.toFixed(1)}×` : `${percent(epochs)} of records`);
  const observed = ledger.kind === 'observed';
  const header = observed
    ? ['dataset', 'size', 'draws', 'epochs', 'target share', 'observed share']
    : ['dataset', 'size', 'target share', 'expected draws', 'epochs', 'records seen'];
  const rows = [...ledger.datasets].sort((x, y) => y.targetShare - x.targetShare).map((r) => (observed
    ? [r.dataset, count(r.size), count(r.draws), r.epochs.toFixed(3), percent(r.targetShare), percent(r.observedShare)]
    : [r.dataset, count(r.size), percent(r.targetShare), count(r.draws), r.epochs.toFixed(3), repeats(r.epochs)]));
  return [header, header.map(() => '---'), ...rows].map((cells) => `| ${cells.join(' | ')} |`).join('\n');
}
