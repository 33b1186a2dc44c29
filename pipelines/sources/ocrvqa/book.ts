/**
 * One entry of the OCR-VQA dict, checked: a BadRecord names the first field that is missing or
 * of the wrong type. Only the fields records are built from are required; title, author and genre
 * go to meta when present.
 */
import path from 'node:path';
import { asObject, BadRecord, int, str, strList } from '../common/fields.ts';
import { IMAGES_DIR, SPLIT_CODES } from './spec.ts';

export interface Book {
  key: string;
  imageUrl: string;
  /** Where the URL list stores the cover: images/<key><extension of the URL>. */
  imagePath: string;
  split: string;
  questions: string[];
  answers: string[];
  meta: { title?: string; authorName?: string; genre?: string };
}

const IMAGE_EXTENSIONS = ['.jpg', '.jpeg', '.png', '.gif'];

/** The URL's own extension, as loadDataset.py saves covers; URLs without a known one get .jpg. */
export function imageExtension(url: URL): string {
  const ext = path.posix.extname(url.pathname).toLowerCase();
  return IMAGE_EXTENSIONS.includes(ext) ? ext : '.jpg';
}

function httpUrl(value: string): URL {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new BadRecord('bad-value', `"imageURL" ${JSON.stringify(value)} is not a URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new BadRecord('bad-value', `"imageURL" ${JSON.stringify(value)} is not an http(s) URL`);
  }
  return url;
}

function optionalString(obj: Record<string, unknown>, key: string): string | undefined {
  return typeof obj[key] === 'string' ? (obj[key] as string) : undefined;
}

export function parseBook(key: string, value: unknown): Book {
  // The key names the cover file, so it must be a plain file stem.
  if (!/^[A-Za-z0-9_-]+$/.test(key)) throw new BadRecord('unsafe-path', `book id ${JSON.stringify(key)} is not a plain file name`);
  const entry = asObject(value, `book ${key}`);
  const imageUrl = str(entry, 'imageURL');
  const url = httpUrl(imageUrl);
  const questions = strList(entry, 'questions');
  const answers = strList(entry, 'answers', questions.length);
  const code = int(entry, 'split');
  const split = SPLIT_CODES[code];
  if (!split) throw new BadRecord('bad-value', `"split" is ${code}, expected 1 (train), 2 (val) or 3 (test)`);
  return {
    key,
    imageUrl,
    imagePath: `${IMAGES_DIR}/${key}${imageExtension(url)}`,
    split,
    questions,
    answers,
    meta: { title: optionalString(entry, 'title'), authorName: optionalString(entry, 'authorName'), genre: optionalString(entry, 'genre') },
  };
}
