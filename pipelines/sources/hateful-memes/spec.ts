/**
 * Hateful Memes (Kiela et al. 2020), dev split: meme images with their overlaid text, labelled
 * hateful (1) or not (0), scored by AUC. Formats: research/dataset-formats.md A20.
 *
 * The data comes from DrivenData after registration, as a password-protected zip whose entries are
 * data/img/<id>.png and data/<split>.jsonl. The adapter reads either that zip without its
 * password (re-zipped) or, as mmf does, its contents extracted with the password into
 * raw/hateful-memes/ (giving data/...). Phase 1 names the dev file dev.jsonl; phase 2 has
 * dev_seen.jsonl (the same 500 memes) and dev_unseen.jsonl; dev_seen is read when present.
 *
 * License: the custom "Hateful Memes dataset license", research use only; its text was not retrieved (research A20). catalog.ts carries the license into every record.
 */
import type { SourceSpec } from '../types.ts';

export const MEMES_ZIP = 'hateful_memes.zip';
/** Annotation files of the dev split, the phase 2 name first. */
export const DEV_FILES = ['data/dev_seen.jsonl', 'data/dev.jsonl'];
/** `img` in an annotation ("img/08291.png") is relative to data/. */
export const dataPath = (rel: string) => `data/${rel}`;

export const spec: SourceSpec = {
  source: 'hateful-memes',
  version: '1',
  datasets: ['hateful-memes'],
  files: [
    {
      path: MEMES_ZIP,
      url: 'https://www.drivendata.org/competitions/70/hateful-memes-phase-2/data/',
      description: 'DrivenData download (registration, license and password needed; mmf accepts sha256 '
        + 'd8f1073f5fbf1b08a541cc2325fc8645619ab8ed768091fb1317d5c3a6653a77, a424c003b7d4ea3f3b089168b5f5ea73b90a3ff043df4b8ff4d7ed87c51cb572, '
        + '6e609b8c230faff02426cf462f0c9528957b7884d68c60ebc26ff83846e5f80f or c1363aae9649c79ae4abfdb151b56d3d170187db77757f3daa80856558ac367c); '
        + 'alternatively extract it with the password into this folder',
    },
  ],
  // dev_seen.jsonl has 500 lines (research A20).
  expected: { 'hateful-memes': { dev: 500 } },
};
