/** Weights and the consensus answer over a list of reference answers with repeats. */

/**
 * For each reference answer, the share of all references equal to it: ten VQA answers
 * ["red" x8, "orange" x2] give 0.8 for each "red" and 0.2 for each "orange"; five distinct
 * captions give 0.2 each. Weights line up with `answers` entry by entry.
 */
export function answerShares(answers: string[]): number[] {
  const n = answers.length;
  // Counting by comparison beats a Map (and its garbage) for the usual 5 or 10 references.
  if (n > 32) {
    const counts = new Map<string, number>();
    for (const a of answers) counts.set(a, (counts.get(a) ?? 0) + 1);
    return answers.map((a) => counts.get(a)! / n);
  }
  const shares: number[] = [];
  for (const a of answers) {
    let count = 0;
    for (const b of answers) if (b === a) count++;
    shares.push(count / n);
  }
  return shares;
}

/** The answer given most often; ties go to the one given first. */
export function mostFrequent(answers: string[]): string {
  const shares = answerShares(answers);
  let best = 0;
  shares.forEach((s, i) => {
    if (s > shares[best]) best = i;
  });
  return answers[best];
}
