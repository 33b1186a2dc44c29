/** The error budget: a split whose quarantined share exceeds it fails its dataset's build. */

export interface SplitCounts {
  records: number;
  quarantined: Record<string, number>;
}

const fmt = (n: number) => n.toLocaleString('en-US');

export function quarantinedTotal(reasons: Record<string, number>): number {
  return Object.values(reasons).reduce((a, b) => a + b, 0);
}

/** A message naming the dataset, split, counts and top reasons, or null within budget. */
export function overBudget(dataset: string, split: string, counts: SplitCounts, budget: number, quarantineFile: string): string | null {
  const bad = quarantinedTotal(counts.quarantined);
  const total = counts.records + bad;
  if (total === 0 || bad / total <= budget) return null;
  const top = Object.entries(counts.quarantined).sort((a, b) => b[1] - a[1]).slice(0, 3).map(([reason, n]) => `${reason} ${fmt(n)}`).join(', ');
  return `${dataset}: split ${split} quarantined ${fmt(bad)} of ${fmt(total)} records (${((100 * bad) / total).toFixed(1)}%), `
    + `over the error budget of ${(100 * budget).toFixed(1)}%; top reasons: ${top}. See ${quarantineFile}; fix the raw data or the adapter, `
    + 'or raise --error-budget';
}
