/**
 * Multiple-choice options for sample problems (ScienceQA, IconQA): the true answer and up to
 * `size - 1` distinct wrong ones, shuffled, with the index where the true answer landed.
 */
export function shuffledOptions(truth: string, others: readonly string[], size: number, next: () => number): { choices: string[]; answer: number } {
  const pool = others.filter((o) => o !== truth);
  const choices = [truth];
  while (choices.length < size && pool.length > 0) choices.push(pool.splice(Math.floor(next() * pool.length), 1)[0]);
  for (let i = choices.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [choices[i], choices[j]] = [choices[j], choices[i]];
  }
  return { choices, answer: choices.indexOf(truth) };
}
