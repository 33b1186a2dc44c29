/**
 * Which sources an ingest run fetches: the sources of the chosen datasets (via the catalog), plus
 * every source they read from (`spec.uses`), ordered so a used source comes before its users.
 */
import type { DatasetInfo } from '../catalog.ts';
import type { SourceSpec } from '../sources/types.ts';

export interface DatasetChoice {
  datasets: string[];
  heldIn: boolean;
  heldOut: boolean;
}

export interface SourceSelection {
  /** Sources to ingest, each after the sources it uses. */
  sources: string[];
  /** Datasets chosen through --held-in/--held-out whose source has no adapter yet. */
  withoutAdapter: string[];
}

function dependencyOrder(roots: string[], specs: ReadonlyMap<string, SourceSpec>): string[] {
  const order: string[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (source: string, chain: string[]) => {
    if (state.get(source) === 'done') return;
    if (state.get(source) === 'visiting') throw new Error(`sources use each other in a cycle: ${[...chain, source].join(' -> ')}`);
    const spec = specs.get(source);
    if (!spec) throw new Error(`source "${chain.at(-1)}" uses "${source}", which has no adapter (pipelines/sources/${source}/adapter.ts)`);
    state.set(source, 'visiting');
    for (const used of [...(spec.uses ?? [])].sort()) visit(used, [...chain, source]);
    state.set(source, 'done');
    order.push(source);
  };
  for (const root of [...roots].sort()) visit(root, []);
  return order;
}

export function selectSources(choice: DatasetChoice, catalog: readonly DatasetInfo[], specs: ReadonlyMap<string, SourceSpec>): SourceSelection {
  const byId = new Map(catalog.map((d) => [d.id, d]));
  const unknown = choice.datasets.filter((id) => !byId.has(id));
  if (unknown.length > 0) {
    throw new Error(`unknown dataset(s): ${unknown.join(', ')}; known: ${catalog.map((d) => d.id).join(', ')}`);
  }
  const noChoice = choice.datasets.length === 0 && !choice.heldIn && !choice.heldOut;
  if (noChoice) return { sources: dependencyOrder([...specs.keys()], specs), withoutAdapter: [] };

  const roots = new Set<string>();
  for (const id of choice.datasets) {
    const { source } = byId.get(id)!;
    if (!specs.has(source)) throw new Error(`dataset "${id}" comes from source "${source}", which has no adapter yet (pipelines/sources/${source}/adapter.ts)`);
    roots.add(source);
  }
  const withoutAdapter: string[] = [];
  for (const dataset of catalog) {
    if (!((choice.heldIn && !dataset.heldOut) || (choice.heldOut && dataset.heldOut))) continue;
    if (specs.has(dataset.source)) roots.add(dataset.source);
    else withoutAdapter.push(dataset.id);
  }
  return { sources: dependencyOrder([...roots], specs), withoutAdapter };
}
