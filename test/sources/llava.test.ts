import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import sharp from 'sharp';
import { RawAccess } from '../../pipelines/raw/access.ts';
import { COLORS, COUNT_WORDS, plural, shapeCells } from '../../pipelines/sample/scene.ts';
import { sha256Sums } from '../../pipelines/sample/sha256sums.ts';
import { cocoIdOf } from '../../pipelines/sources/coco/images.ts';
import { cocoScene } from '../../pipelines/sources/coco/scenes.ts';
import { adapter } from '../../pipelines/sources/llava/adapter.ts';
import { makeSample } from '../../pipelines/sources/llava/make-sample.ts';
import { sampleDir } from '../../pipelines/sources/registry.ts';
import type { AdapterOutput, SourceRecord } from '../../pipelines/sources/types.ts';

const SAMPLE = sampleDir('llava');
const FILES = ['conversation_58k.json', 'detail_23k.json', 'complex_reasoning_77k.json'];
type Raw = { id: string; image: string; conversations: { from: string; value: string }[] };
const original = Object.fromEntries(FILES.map((f) => [f, JSON.parse(readFileSync(path.join(SAMPLE, f), 'utf8')) as Raw[]]));
const temp = mkdtempSync(path.join(tmpdir(), 'llava-'));
after(() => rmSync(temp, { recursive: true, force: true }));

/** LLaVA files from `dir`, COCO images from the coco sample mirror. */
async function readFrom(dir: string): Promise<AdapterOutput[]> {
  const raw = new RawAccess((source) => (source === 'llava' ? dir : sampleDir(source)));
  const out: AdapterOutput[] = [];
  for await (const o of adapter.read(raw)) out.push(o);
  await raw.close();
  return out;
}
const records = (out: AdapterOutput[]) => out.flatMap((o) => ('record' in o ? [o.record] : []));
const reasons = (out: AdapterOutput[]) => out.flatMap((o) => ('quarantine' in o ? [o.quarantine.reason] : []));
const counts = (rs: SourceRecord[]) => {
  const c: Record<string, number> = {};
  for (const r of rs) c[r.dataset] = (c[r.dataset] ?? 0) + 1;
  return c;
};
function withFiles(name: string, files: Record<string, unknown>): string {
  const dir = path.join(temp, name);
  mkdirSync(dir, { recursive: true });
  for (const [file, value] of Object.entries(files)) writeFileSync(path.join(dir, file), JSON.stringify(value));
  return dir;
}

const sample = await readFrom(SAMPLE);
const EXPECTED = { 'llava-conversation': 24, 'llava-detail': 16, 'llava-reasoning': 24 };

test('one train record per conversation: 24 conversation, 16 detail, 24 reasoning, nothing quarantined', () => {
  assert.deepEqual(reasons(sample), []);
  assert.deepEqual(counts(records(sample)), EXPECTED);
  assert.ok(records(sample).every((r) => r.split === 'train' && r.conversation.length % 2 === 0));
});

test('turns are stored without <image>; where it stood is kept in meta', () => {
  const all = FILES.flatMap((f) => original[f]);
  records(sample).forEach((r, i) => {
    assert.deepEqual(r.conversation, all[i].conversations.map((t) => ({ from: t.from, value: t.value.replace('<image>', '').trim() })));
    assert.ok(r.conversation.every((t) => !t.value.includes('<image>')));
    const first = all[i].conversations[0].value;
    assert.equal(JSON.parse(r.meta!).imageToken, first.startsWith('<image>') ? 'before' : 'after');
  });
  assert.deepEqual(new Set(records(sample).map((r) => JSON.parse(r.meta!).imageToken)), new Set(['before', 'after']));
});

test('answers state what the COCO scene shows', () => {
  for (const r of records(sample)) {
    const scene = cocoScene(cocoIdOf(r.id.split('/')[2])!);
    const answers = r.conversation.filter((t) => t.from === 'gpt').map((t) => t.value).join(' ');
    if (r.dataset !== 'llava-conversation') assert.ok(answers.includes(`${scene.color} ${plural(scene)}`), `${r.id}: ${answers}`);
    if (r.dataset === 'llava-detail') assert.ok(answers.includes(`${COUNT_WORDS[scene.count]} ${scene.color} ${plural(scene)}`));
    r.conversation.forEach((t, i) => {
      if (t.value.startsWith('How many')) assert.match(r.conversation[i + 1].value, new RegExp(`\\b${COUNT_WORDS[scene.count]}\\b`));
      if (t.value.startsWith('What color')) assert.ok(r.conversation[i + 1].value.includes(scene.color));
    });
  }
});

test('every image is the COCO sample image of the record\'s id, with the scene\'s shapes on it', async () => {
  const raw = new RawAccess(sampleDir);
  const refs = new Map(records(sample).map((r) => [r.media[0].member, r.media[0]]));
  for (const ref of refs.values()) {
    assert.equal(ref.source, 'coco');
    const { data, info } = await sharp(await raw.readMember(ref.source, ref.path, ref.member!)).raw().toBuffer({ resolveWithObject: true });
    const scene = cocoScene(cocoIdOf(ref.member!)!);
    for (const [c, row] of shapeCells(scene)) {
      const at = ((row * 16 + 8) * info.width + c * 16 + 8) * info.channels;
      [0, 1, 2].forEach((k) => assert.ok(Math.abs(data[at + k] - COLORS[scene.color][k]) < 24, `${ref.member} shape colour`));
    }
  }
  await raw.close();
});

test('make-sample is deterministic', async () => {
  const dir = path.join(temp, 'again');
  await makeSample(dir, { scale: 1, seed: 1 });
  assert.equal(sha256Sums(dir), readFileSync(path.join(SAMPLE, 'SHA256SUMS'), 'utf8'));
});

test('llava_instruct_150k.json alone is split into the three subsets by content', async () => {
  const dir = withFiles('combined', { 'llava_instruct_150k.json': FILES.flatMap((f) => original[f]) });
  const out = await readFrom(dir);
  assert.deepEqual(reasons(out), []);
  assert.deepEqual(counts(records(out)), EXPECTED);
  assert.ok(records(out).every((r) => r.sourceFile === 'llava_instruct_150k.json'));
});

test('bad records are quarantined with their reason; repeated ids stay unique', async () => {
  const conv: Raw[] = structuredClone(original['conversation_58k.json']);
  delete (conv[0] as Partial<Raw>).conversations;
  conv[1].conversations[1].from = 'assistant';
  conv[2].image = '../../coco/000000000009.jpg';
  conv[3].image = '000000999999.jpg';
  (conv[4] as unknown as { conversations: string }).conversations = 'hello';
  conv[5].conversations.pop();
  conv[6].image = 'cat.png';
  conv[8].id = conv[7].id;
  const out = await readFrom(withFiles('bad', { 'conversation_58k.json': conv }));
  assert.deepEqual(reasons(out), ['missing-field', 'bad-value', 'unsafe-path', 'unknown-image', 'bad-type', 'bad-value', 'bad-value']);
  const ids = records(out).map((r) => r.id);
  assert.equal(new Set(ids).size, ids.length);
  assert.ok(ids.includes(`llava-conversation/train/${conv[7].id}-2`));
});

test('no LLaVA file at all is an error that says to run ingest', async () => {
  await assert.rejects(readFrom(withFiles('empty', {})), /none of conversation_58k.json.*run ingest/);
});
