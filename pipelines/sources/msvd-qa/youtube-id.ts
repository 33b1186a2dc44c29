/** YouTube-style video ids for sample mirrors: 11 characters from YouTube's URL-safe alphabet. */

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

export function youtubeId(next: () => number): string {
  return Array.from({ length: 11 }, () => ALPHABET[Math.floor(next() * ALPHABET.length)]).join('');
}
