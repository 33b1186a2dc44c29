/**
 * Caption tokenization as the COCO caption evaluation (pycocoevalcap) does it before CIDEr-D: the
 * Stanford PTBTokenizer (CoreNLP 3.4.1, run with `-preserveLines -lowerCase`), then dropping every
 * token on the toolkit's punctuation list. Both the candidate and its references go through it.
 *
 * Implemented PTB rules (the ones caption text exercises):
 * - lowercasing; newlines are spaces (the toolkit replaces them before calling Java);
 * - words keep inner hyphens, apostrophes, periods, `&` and `/` ("black-and-white", "o'clock",
 *   "and/or"); numbers keep inner `,` `.` `:` between digits ("1,000", "3.5", "4:45");
 * - clitics split off: "don't" -> "do n't", "can't" -> "ca n't", "man's" -> "man 's", and
 *   're 've 'm 'll 'd; a standalone "'s" stays one token;
 * - dotted acronyms keep their final period ("u.s."); any other trailing period is its own token;
 * - every other mark is its own token: `( ) [ ] { }` become -lrb- -rrb- -lsb- -rsb- -lcb- -rcb-,
 *   double quotes become `` or '', a run of three or more periods is "...", of two or more hyphens "--".
 *
 * Dropped afterwards (the toolkit's list): '' ' `` ` . ? ! , : - -- ... ;
 * The list also names -LRB- -RRB- -LCB- -RCB-, but `-lowerCase` has already turned them into
 * -lrb- -rrb- -lcb- -rcb-, which the case-sensitive filter does not match: bracket tokens survive
 * as words in the official tool, and so they do here.
 *
 * Not implemented (document, don't guess): the lexer's abbreviation list ("mr." keeps its period in
 * PTB mid-sentence; here it is split off and dropped), "cannot"/"gonna"-style splits, URL/email/
 * emoticon tokens, runs of "?!" (split into single marks here, all dropped), and the old PTB `\/`
 * escaping (it would apply to candidate and references alike, changing no score).
 */

const WORD_CHAR = String.raw`[\p{L}\p{M}\p{N}]`;
const WORD = String.raw`${WORD_CHAR}+(?:(?:[-'.&/]|(?<=\p{N})[,:](?=\p{N}))${WORD_CHAR}+)*`;

/** Alternatives in priority order; the last one takes any single remaining character. */
const TOKEN = new RegExp([
  String.raw`(?:\p{L}\.){2,}(?!${WORD_CHAR})`, // dotted acronym with its final period
  WORD,
  String.raw`'(?:s|re|ve|m|ll|d)(?!${WORD_CHAR})`, // a clitic standing alone
  String.raw`\.{3,}`,
  String.raw`-{2,}`,
  String.raw`\S`,
].join('|'), 'gu');

const CLITIC = /^(.+?)(n't|'s|'re|'ve|'m|'ll|'d)$/u;

const PTB_SPELLING: Readonly<Record<string, string>> = {
  '(': '-lrb-', ')': '-rrb-', '[': '-lsb-', ']': '-rsb-', '{': '-lcb-', '}': '-rcb-', '"': "''",
};

/** pycocoevalcap's PUNCTUATIONS as they can still match after lowercasing. */
const DROPPED = new Set(["''", "'", '``', '`', '.', '?', '!', ',', ':', '-', '--', '...', ';']);

function ptbTokens(chunk: string): string[] {
  return [...chunk.matchAll(TOKEN)].flatMap(([token]) => {
    if (/^\.{3,}$/.test(token)) return ['...'];
    if (/^-{2,}$/.test(token)) return ['--'];
    const clitic = CLITIC.exec(token);
    if (clitic) return [clitic[1], clitic[2]];
    return [Object.hasOwn(PTB_SPELLING, token) ? PTB_SPELLING[token] : token];
  });
}

/** The tokens CIDEr-D counts n-grams over. */
export function cocoCaptionTokens(caption: string): string[] {
  return caption.replaceAll('\n', ' ').toLowerCase().split(/\s+/u)
    .flatMap(ptbTokens)
    .filter((token) => !DROPPED.has(token));
}
