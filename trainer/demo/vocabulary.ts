/**
 * The demo LM's vocabulary: every word of the held-in examples as the trainer renders them (all
 * splits, several epochs so every template shows up), their captions, and the evaluation prompt
 * templates, plus single letters and digits (option letters, counts). Nothing the LM reads or
 * writes in the demo is then <unk>.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { DEFAULT_TEMPLATE_DIR, loadTemplateLibrary, renderForTraining } from '../../pipelines/format/index.ts';
import { readDatasetManifest } from '../../pipelines/shards/manifest.ts';
import { readSplit, type ShardDirs } from '../../pipelines/shards/shard-reader.ts';
import { wordSplitter } from './word-tokenizer.ts';

function evalTemplateTexts(): string[] {
  const dir = path.join(DEFAULT_TEMPLATE_DIR, 'eval');
  return readdirSync(dir).flatMap((file) => Object.values((JSON.parse(readFileSync(path.join(dir, file), 'utf8')) as { templates: Record<string, string> }).templates));
}

export async function collectVocabulary(dirs: ShardDirs, datasets: readonly string[], seed: number, epochs: number): Promise<string[]> {
  const split = wordSplitter();
  const templates = loadTemplateLibrary();
  const words = new Set<string>('abcdefghijklmnopqrstuvwxyz0123456789');
  const add = (text: string) => {
    for (const w of split(text)) words.add(w);
  };
  for (const dataset of datasets) {
    const manifest = readDatasetManifest(dirs.manifestsDir, dataset);
    for (const splitName of Object.keys(manifest?.splits ?? {})) {
      for await (const record of readSplit(dirs, dataset, splitName)) {
        record.answers.forEach(add);
        for (let epoch = 0; epoch < epochs; epoch++) {
          for (const example of renderForTraining(record, templates, { seed, epoch })) {
            add(example.instruction);
            add(example.target);
          }
        }
      }
    }
  }
  evalTemplateTexts().forEach(add);
  return [...words];
}
