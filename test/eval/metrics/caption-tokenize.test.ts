import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cocoCaptionTokens } from '../../../trainer/eval/metrics/caption-tokenize.ts';

const tokens = (caption: string) => cocoCaptionTokens(caption).join(' ');

test('lowercased PTB tokens with the toolkit\'s punctuation dropped', () => {
  assert.equal(tokens('A man riding a bike down the street.'), 'a man riding a bike down the street');
  assert.equal(tokens('Two dogs; one "barking", one sleeping!'), 'two dogs one barking one sleeping');
  assert.equal(tokens('Is it a cat? Maybe: a fox...'), 'is it a cat maybe a fox');
  assert.equal(tokens('A view -- from the top - of a hill'), 'a view from the top of a hill');
  assert.equal(tokens("He said 'hello' to the kids' toys"), 'he said hello to the kids toys');
  assert.equal(tokens('A dog.\nA cat.'), 'a dog a cat');
  assert.equal(tokens(''), '');
  assert.equal(tokens('  .  '), '');
});

test('clitics split off as PTB does', () => {
  assert.equal(tokens("A man's dog"), "a man 's dog");
  assert.equal(tokens("Dogs don't fly"), "dogs do n't fly");
  assert.equal(tokens("I can't"), "i ca n't");
  assert.equal(tokens("they're here and we'll go"), "they 're here and we 'll go");
  assert.equal(tokens("james 's hat"), "james 's hat");
});

test('words and numbers keep their inner marks', () => {
  assert.equal(tokens('A black-and-white photo'), 'a black-and-white photo');
  assert.equal(tokens("At 4:45 o'clock it costs $1,000.50"), "at 4:45 o'clock it costs $ 1,000.50");
  assert.equal(tokens('salt and/or pepper at AT&T'), 'salt and/or pepper at at&t');
  assert.equal(tokens('The U.S. flag, e.g. this'), 'the u.s. flag e.g. this');
  assert.equal(tokens('a café'), 'a café');
  assert.equal(tokens('the constructor toString hasOwnProperty'), 'the constructor tostring hasownproperty');
});

test('brackets become -lrb- style tokens that survive, as in the official tool after -lowerCase', () => {
  assert.equal(tokens('A dog (brown) [left] {x}'), 'a dog -lrb- brown -rrb- -lsb- left -rsb- -lcb- x -rcb-');
});
