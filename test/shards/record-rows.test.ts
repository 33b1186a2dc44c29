import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { tableFromIPC, RecordBatchFileWriter } from 'apache-arrow';
import { batchToRecords, recordReader, recordsToBatch } from '../../pipelines/shards/record-rows.ts';
import { arbitraryRecord, simpleRecord } from './arbitrary-record.ts';

/** Key order differs between the generator and the schema; compare canonical JSON. */
const canonical = (r: object) => JSON.stringify(Object.fromEntries(Object.entries(r).sort(([a], [b]) => a.localeCompare(b))));

test('records survive the trip to an Arrow batch and back', () => {
  fc.assert(fc.property(fc.array(arbitraryRecord, { maxLength: 20 }), (records) => {
    const back = batchToRecords(recordsToBatch(records));
    assert.deepEqual(back.map(canonical), records.map(canonical));
  }), { numRuns: 150 });
});

test('a batch written to an IPC file reads back identically with apache-arrow\'s own reader', () => {
  fc.assert(fc.property(fc.array(arbitraryRecord, { minLength: 1, maxLength: 10 }), (records) => {
    const bytes = RecordBatchFileWriter.writeAll([recordsToBatch(records)]).toUint8Array(true);
    const table = tableFromIPC(bytes);
    assert.equal(table.numRows, records.length);
    for (let i = 0; i < records.length; i++) {
      assert.equal(table.get(i)?.id, records[i].id);
      assert.equal(table.get(i)?.question, records[i].question);
      assert.deepEqual([...(table.get(i)?.answers ?? [])], records[i].answers);
    }
  }), { numRuns: 50 });
});

test('recordReader decodes one row without the others', () => {
  const records = Array.from({ length: 50 }, (_, i) => simpleRecord(i));
  const read = recordReader(recordsToBatch(records));
  assert.deepEqual(read(37), records[37]);
});

test('a record with a wrong type names the dataset, record, source file and field', () => {
  const bad = { ...simpleRecord(3), answers: ['ok', 42] } as never;
  assert.throws(() => recordsToBatch([simpleRecord(1), bad]), /vqav2: record vqav2\/train\/3 \(annotations\.json #3\): field "answers\[\]": expected a string, got a number/);
});

test('a null in a non-null field is refused', () => {
  const bad = { ...simpleRecord(0), sourceFile: null } as never;
  assert.throws(() => recordsToBatch([bad]), /field "sourceFile": expected a non-null Utf8, got null/);
});

test('values repeated row after row (dataset, split, answers) encode like any other', () => {
  const pick = fc.constantFrom('yes', 'no', 'é', '', 'two words');
  fc.assert(fc.property(fc.array(fc.tuple(pick, fc.array(pick, { maxLength: 4 }), fc.option(pick, { nil: null })), { maxLength: 40 }), (rows) => {
    const records = rows.map(([question, answers, context], i) => ({ ...simpleRecord(i), question, answers, answerWeights: answers.map(() => 1), context }));
    assert.deepEqual(batchToRecords(recordsToBatch(records)), records);
  }));
});
