/**
 * The answer normalization of the official VQA evaluation (GT-Vision-Lab `vqaEval.py`, the version
 * with the 21-character punctuation list; VizWiz's and LAVIS's copies behave the same), applied to
 * the prediction before it is compared with human answers. Steps, in the tool's order:
 *
 * 1. newlines and tabs become spaces, then surrounding whitespace is stripped;
 * 2. punctuation (`processPunctuation`);
 * 3. lowercase, number words, articles, contractions (`processDigitArticle`).
 *
 * Python's string semantics are reproduced where JavaScript's differ: `\d` matches any Unicode
 * decimal digit, and `split()`/`strip()` use Python's whitespace set.
 */

/** Python's `str.isspace()` set (it includes \x1c-\x1f and \x85, which `\s` lacks, and not \ufeff, which `\s` has). */
const PYTHON_WHITESPACE = '\\t\\n\\v\\f\\r\\x1c-\\x1f \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000';
const WHITESPACE_RUN = new RegExp(`[${PYTHON_WHITESPACE}]+`, 'u');
const EDGE_WHITESPACE = new RegExp(`^[${PYTHON_WHITESPACE}]+|[${PYTHON_WHITESPACE}]+$`, 'gu');

/** Removed, or turned into a space, by `processPunctuation`. `.` has its own rule; `'` and `:` are kept. */
const PUNCTUATION = [';', '/', '[', ']', '"', '{', '}', '(', ')', '=', '+', '\\', '_', '-', '>', '<', '@', '`', ',', '?', '!'];

/** The tool's `commaStrip`: a comma between two digits anywhere in the answer. */
const DIGIT_COMMA_DIGIT = /\p{Nd},\p{Nd}/u;

/**
 * The tool's `periodStrip` is `(?!<=\d)(\.)(?!\d)`. Its first group was meant as a lookbehind but is
 * a lookahead for the literal text `<=` + digit, which never matches at a `.`; so the rule is "drop
 * every period not followed by a digit" (`5.` loses its period, `.5` and `1.5` keep theirs).
 */
const PERIOD_NOT_BEFORE_DIGIT = /\.(?!\p{Nd})/gu;

/**
 * The tool calls `periodStrip.sub("", text, re.UNICODE)`: the third positional argument of a
 * compiled pattern's `sub` is `count`, so `re.UNICODE` (= 32) caps the removals at 32 periods.
 */
const PERIOD_REMOVAL_LIMIT = 32;

const NUMBER_WORDS: Readonly<Record<string, string>> = {
  none: '0', zero: '0', one: '1', two: '2', three: '3', four: '4', five: '5',
  six: '6', seven: '7', eight: '8', nine: '9', ten: '10',
};

const ARTICLES = new Set(['a', 'an', 'the']);

/**
 * The tool's contraction table, less entries that cannot change anything: its keys with capitals
 * (`Im`, `Ive`, `Id've`, `I'dve`) never match because words are lowercased first, and identity
 * entries (`let's`, `she's`) map a word to itself. The odd `somebody'd` -> `somebodyd` is the tool's
 * and is kept.
 */
const CONTRACTIONS: Readonly<Record<string, string>> = {
  aint: "ain't", arent: "aren't", cant: "can't", couldve: "could've", couldnt: "couldn't",
  "couldn'tve": "couldn't've", "couldnt've": "couldn't've", didnt: "didn't", doesnt: "doesn't",
  dont: "don't", hadnt: "hadn't", "hadnt've": "hadn't've", "hadn'tve": "hadn't've", hasnt: "hasn't",
  havent: "haven't", hed: "he'd", "hed've": "he'd've", "he'dve": "he'd've", hes: "he's", howd: "how'd",
  howll: "how'll", hows: "how's", isnt: "isn't", itd: "it'd", "itd've": "it'd've", "it'dve": "it'd've",
  itll: "it'll", maam: "ma'am", mightnt: "mightn't", "mightnt've": "mightn't've",
  "mightn'tve": "mightn't've", mightve: "might've", mustnt: "mustn't", mustve: "must've",
  neednt: "needn't", notve: "not've", oclock: "o'clock", oughtnt: "oughtn't", "ow's'at": "'ow's'at",
  "'ows'at": "'ow's'at", "'ow'sat": "'ow's'at", shant: "shan't", "shed've": "she'd've",
  "she'dve": "she'd've", shouldve: "should've", shouldnt: "shouldn't", "shouldnt've": "shouldn't've",
  "shouldn'tve": "shouldn't've", "somebody'd": 'somebodyd', "somebodyd've": "somebody'd've",
  "somebody'dve": "somebody'd've", somebodyll: "somebody'll", somebodys: "somebody's",
  someoned: "someone'd", "someoned've": "someone'd've", "someone'dve": "someone'd've",
  someonell: "someone'll", someones: "someone's", somethingd: "something'd",
  "somethingd've": "something'd've", "something'dve": "something'd've", somethingll: "something'll",
  thats: "that's", thered: "there'd", "thered've": "there'd've", "there'dve": "there'd've",
  therere: "there're", theres: "there's", theyd: "they'd", "theyd've": "they'd've",
  "they'dve": "they'd've", theyll: "they'll", theyre: "they're", theyve: "they've", twas: "'twas",
  wasnt: "wasn't", "wed've": "we'd've", "we'dve": "we'd've", weve: "we've", werent: "weren't",
  whatll: "what'll", whatre: "what're", whats: "what's", whatve: "what've", whens: "when's",
  whered: "where'd", wheres: "where's", whereve: "where've", whod: "who'd", "whod've": "who'd've",
  "who'dve": "who'd've", wholl: "who'll", whos: "who's", whove: "who've", whyll: "why'll",
  whyre: "why're", whys: "why's", wont: "won't", wouldve: "would've", wouldnt: "wouldn't",
  "wouldnt've": "wouldn't've", "wouldn'tve": "wouldn't've", yall: "y'all", "yall'll": "y'all'll",
  "y'allll": "y'all'll", "yall'd've": "y'all'd've", "y'alld've": "y'all'd've", "y'all'dve": "y'all'd've",
  youd: "you'd", "youd've": "you'd've", "you'dve": "you'd've", youll: "you'll", youre: "you're",
  youve: "you've",
};

const lookup = (table: Readonly<Record<string, string>>, word: string): string | undefined =>
  Object.hasOwn(table, word) ? table[word] : undefined;

/**
 * `processPunctuation`. Whether a mark is deleted or becomes a space is decided on the *input*
 * text: deleted when the mark touches a space somewhere in it, or when the text has a digit-comma-
 * digit anywhere (then every listed mark is deleted, which keeps "1,000" one number).
 */
function processPunctuation(text: string): string {
  const deleteMarks = DIGIT_COMMA_DIGIT.test(text);
  let out = text;
  for (const mark of PUNCTUATION) {
    const touchesSpace = text.includes(`${mark} `) || text.includes(` ${mark}`);
    out = out.replaceAll(mark, touchesSpace || deleteMarks ? '' : ' ');
  }
  let removed = 0;
  return out.replace(PERIOD_NOT_BEFORE_DIGIT, (period) => (removed++ < PERIOD_REMOVAL_LIMIT ? '' : period));
}

/** `processDigitArticle`: number words to digits, articles dropped, then contractions. */
function processDigitArticle(text: string): string {
  return text.toLowerCase().split(WHITESPACE_RUN).filter((word) => word !== '')
    .map((word) => lookup(NUMBER_WORDS, word) ?? word)
    .filter((word) => !ARTICLES.has(word))
    .map((word) => lookup(CONTRACTIONS, word) ?? word)
    .join(' ');
}

/** The official VQA normalization of one answer; '' for an answer with no words left. */
export function normalizeVqaAnswer(answer: string): string {
  const flattened = answer.replaceAll('\n', ' ').replaceAll('\t', ' ').replace(EDGE_WHITESPACE, '');
  return processDigitArticle(processPunctuation(flattened));
}
