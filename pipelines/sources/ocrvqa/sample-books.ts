/**
 * Sample books for OCR-VQA: a cover shows the title on the first printed line and the author on
 * the second, so title and author questions are answerable by reading; the genre follows the
 * colour of the cover's shapes, so the genre question is answerable by looking. Questions are
 * worded as the real dataset words them.
 */
import type { ColorName } from '../../sample/scene.ts';
import { pick } from '../../util/random.ts';

/** At most 9 characters: one printed line of the 112-px cover. */
export const TITLES = [
  'Zebra', 'Orbit', 'Harvest', 'Nomad', 'Ember', 'Lanterns', 'Atlas', 'Tides', 'Voyage', 'Meadow',
  'Riddles', 'Comets', 'Saffron', 'Pilgrim', 'Red Sea', 'Big Sky', 'Old Map', 'Wild Oak', 'Two Moons',
];
export const AUTHORS = ['T. Mann', 'J. Rowe', 'A. Blake', 'E. Lear', 'M. King', 'R. Frost', 'L. Hart', 'S. Cole', 'P. Lamb', 'D. Ford'];

interface Genre {
  name: string;
  /** A yes/no question about this genre, in one of the real dataset's phrasings. */
  question: string;
}

export const GENRE_BY_COLOR: Record<ColorName, Genre> = {
  red: { name: 'Romance', question: 'Is this a romantic book?' },
  green: { name: 'Travel', question: 'Is this book related to Travel?' },
  blue: { name: 'Science & Math', question: 'Is this book related to Science & Math?' },
  yellow: { name: 'Humor & Entertainment', question: 'Is this a comedy book?' },
  purple: { name: 'Religion & Spirituality', question: 'Is this a religious book?' },
  white: { name: 'Calendars', question: 'Is this book related to Calendars?' },
};

export interface SampleBook {
  title: string;
  authorName: string;
  genre: string;
  questions: string[];
  answers: string[];
}

/** Five questions per cover, as most real books have: author, title, genre and two yes/no. */
export function sampleBook(color: ColorName, next: () => number): SampleBook {
  const title = pick(next, TITLES);
  const authorName = pick(next, AUTHORS);
  const genre = GENRE_BY_COLOR[color];
  const others = Object.values(GENRE_BY_COLOR).filter((g) => g !== genre);
  const first = pick(next, others);
  const second = pick(next, others.filter((g) => g !== first));
  // One yes/no asks about the book's own genre half of the time, so "Yes" is not always wrong.
  const yesNo: [Genre, string][] = [next() < 0.5 ? [genre, 'Yes'] : [first, 'No'], [second, 'No']];
  if (next() < 0.5) yesNo.reverse();
  return {
    title,
    authorName,
    genre: genre.name,
    questions: ['Who wrote this book?', 'What is the title of this book?', 'What is the genre of this book?', ...yesNo.map(([g]) => g.question)],
    answers: [authorName, title, genre.name, ...yesNo.map(([, a]) => a)],
  };
}
