/**
 * Streams training batches from built shards and reports the rate, the dataset mix and the first
 * examples' provenance. Build the sample shards first:
 *   npm run ingest && npm run build-shards -- --held-in
 *   npx tsx scripts/stream-batches.ts --batches 1000
 * Options: --shards-dir (shards) --manifests-dir (manifests) --config (trainer/configs/demo.json)
 * --batches (1000) --batch-size (16) --image-size (224) --prefetch (4) --rank (0) --world (1) --show (3)
 * --lm-tokenizer DIR (a folder with the LM's tokenizer.json and tokenizer_config.json naming its
 * bos/eos/pad tokens; by default bert-base-uncased stands in for the LM too, [SEP] as its end token).
 * The Q-Former's tokenizer is bert-base-uncased (trainer/tokenizer.ts).
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadMixtureConfig } from '../pipelines/mixture/index.ts';
import { createTrainingStream, type ExampleProvenance, type LmTokenizer, type QFormerTokenizer } from '../pipelines/stream/index.ts';
import { bertBaseUncased, loadTokenizer, type Tokenizer } from '../trainer/tokenizer.ts';

const { values } = parseArgs({
  options: {
    'shards-dir': { type: 'string', default: 'shards' },
    'manifests-dir': { type: 'string', default: 'manifests' },
    config: { type: 'string', default: 'trainer/configs/demo.json' },
    batches: { type: 'string', default: '1000' },
    'batch-size': { type: 'string', default: '16' },
    'image-size': { type: 'string', default: '224' },
    prefetch: { type: 'string', default: '4' },
    rank: { type: 'string', default: '0' },
    world: { type: 'string', default: '1' },
    show: { type: 'string', default: '3' },
    'lm-tokenizer': { type: 'string' },
  },
});

const int = (name: keyof typeof values) => {
  const n = Number(values[name]);
  if (!Number.isInteger(n) || n < 0) throw new Error(`--${name} must be a non-negative integer, got ${values[name]}`);
  return n;
};

const manifestsDir = values['manifests-dir']!;
if (!existsSync(path.join(manifestsDir, 'index.json'))) {
  console.error(`no built shards: ${path.join(manifestsDir, 'index.json')} does not exist; run npm run ingest && npm run build-shards -- --held-in`);
  process.exit(1);
}

function idOf(tokenizer: Tokenizer, token: string, where: string): number {
  const id = tokenizer.token_to_id(token);
  if (id === undefined) throw new Error(`${where}: the tokenizer has no token ${JSON.stringify(token)}`);
  return id;
}

const bert = bertBaseUncased();
const encodeWith = (tokenizer: Tokenizer) => (text: string) => tokenizer.encode(text, { add_special_tokens: false }).ids;
const qformer: QFormerTokenizer = {
  encode: encodeWith(bert), splitsOnWhitespace: true,
  clsId: idOf(bert, '[CLS]', 'bert-base-uncased'), sepId: idOf(bert, '[SEP]', 'bert-base-uncased'), padId: idOf(bert, '[PAD]', 'bert-base-uncased'),
};

/** The LM tokenizer of a folder; its special tokens are named in tokenizer_config.json (a string or {content}). */
function folderLmTokenizer(dir: string): LmTokenizer {
  const tokenizer = loadTokenizer(dir);
  const configFile = path.join(dir, 'tokenizer_config.json');
  const config = existsSync(configFile) ? JSON.parse(readFileSync(configFile, 'utf8')) as Record<string, unknown> : {};
  const named = (key: string) => {
    const value = config[key];
    const token = typeof value === 'string' ? value : (value as { content?: string } | undefined)?.content;
    return token === undefined ? null : idOf(tokenizer, token, configFile);
  };
  const eosId = named('eos_token');
  if (eosId === null) throw new Error(`${configFile}: names no eos_token; the stream appends it to every target`);
  return { encode: encodeWith(tokenizer), bosId: named('bos_token'), eosId, padId: named('pad_token') ?? eosId };
}

const lm: LmTokenizer = values['lm-tokenizer'] === undefined
  ? { encode: qformer.encode, splitsOnWhitespace: true, bosId: null, eosId: qformer.sepId, padId: qformer.padId }
  : folderLmTokenizer(values['lm-tokenizer']);

const batches = int('batches');
const batchSize = int('batch-size');
const stream = await createTrainingStream({
  shardsDir: values['shards-dir']!, manifestsDir, mixture: loadMixtureConfig(values.config!),
  tokenizers: { qformer, lm },
  batchSize, imageSize: int('image-size'), prefetch: int('prefetch'), rank: int('rank'), world: int('world'),
});

const perDataset = new Map<string, number>();
const truncated = { qformerInstruction: 0, lmInstruction: 0, target: 0 };
const shown: ExampleProvenance[] = [];
const started = performance.now();
const cpuStarted = process.cpuUsage();
try {
  for (let b = 0; b < batches; b++) {
    const batch = await stream.next();
    for (const p of batch.provenance) {
      perDataset.set(p.dataset, (perDataset.get(p.dataset) ?? 0) + 1);
      for (const k of Object.keys(truncated) as (keyof typeof truncated)[]) truncated[k] += p.truncated[k] > 0 ? 1 : 0;
      if (shown.length < int('show')) shown.push(p);
    }
    if ((b + 1) % 100 === 0 || b + 1 === batches) {
      const s = (performance.now() - started) / 1e3;
      console.log(`${b + 1}/${batches} batches, ${((b + 1) * batchSize / s).toFixed(0)} examples/s, `
        + `shapes pixels [${batch.pixelValues.shape}] qformer [${batch.qformerInputIds.shape}] lm [${batch.lmInputIds.shape}]`);
    }
    stream.release(batch);
  }
} finally {
  await stream.close();
}

const seconds = (performance.now() - started) / 1e3;
const cpu = process.cpuUsage(cpuStarted);
const cpuSeconds = (cpu.user + cpu.system) / 1e6;
const examples = batches * batchSize;
console.log(`\n${batches} batches, ${examples} examples in ${seconds.toFixed(1)} s: ${(examples / seconds).toFixed(0)} examples/s, ${(batches / seconds).toFixed(1)} batches/s`
  + ` (${cpuSeconds.toFixed(1)} CPU s, workers included: ${(examples / cpuSeconds).toFixed(0)} examples per CPU second)`);
console.log('\n| dataset | examples | share | target share |\n| --- | --- | --- | --- |');
stream.plan.datasets.forEach((id, d) => {
  const n = perDataset.get(id) ?? 0;
  console.log(`| ${id} | ${n} | ${(100 * n / examples).toFixed(1)}% | ${(100 * stream.plan.probabilities[d]).toFixed(1)}% |`);
});
console.log(`\nexamples truncated: Q-Former instruction ${truncated.qformerInstruction}, LM instruction ${truncated.lmInstruction}, target ${truncated.target}`);
const { records, media } = stream.stats();
console.log(`record batches read ${records.batchReads} (${records.fileOpens} part opens), images read ${media.imageReads} (${(media.imageBytes / 1e6).toFixed(1)} MB)`);
console.log(`peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`);
console.log(`resume state: ${JSON.stringify(stream.state())}`);
console.log('\nfirst examples:');
for (const p of shown) console.log(JSON.stringify(p));
