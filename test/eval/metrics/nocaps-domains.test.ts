import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ciderD, type CaptionedImage } from '../../../trainer/eval/metrics/cider-d.ts';
import { ciderDByDomain, nocapsDomain, type NocapsDomain } from '../../../trainer/eval/metrics/nocaps-domains.ts';

test('the domain is read from meta in the official spellings and the adapter\'s short ones', () => {
  assert.equal(nocapsDomain('{"domain":"in-domain"}'), 'in-domain');
  assert.equal(nocapsDomain('{"domain":"near","open_images_id":"0013ea2087020901"}'), 'near-domain');
  assert.equal(nocapsDomain('{"domain":"out"}'), 'out-domain');
  assert.equal(nocapsDomain('{"domain":"far"}'), null);
  assert.equal(nocapsDomain('{"domain":3}'), null);
  assert.equal(nocapsDomain('{}'), null);
  assert.equal(nocapsDomain('[]'), null);
  assert.equal(nocapsDomain('null'), null);
  assert.equal(nocapsDomain('not json'), null);
  assert.equal(nocapsDomain(null), null);
});

const words = (caption: string) => caption.split(' ');
const image = (candidate: string, ...references: string[]): CaptionedImage =>
  ({ candidate: words(candidate), references: references.map(words) });

test('each domain is its own corpus; the overall score is the whole corpus, not a mean of domains', () => {
  const images = [
    image('a dog on grass', 'a dog on the grass', 'a brown dog'),
    image('a cat on a bed', 'a cat sleeping on a bed'),
    image('a red bus', 'a red bus on a street'),
    image('a jellyfish', 'a jellyfish in the sea', 'a pink jellyfish'),
    image('a lemur in a tree', 'a lemur sitting in a tree'),
  ];
  const domains: NocapsDomain[] = ['in-domain', 'in-domain', 'near-domain', 'out-domain', 'out-domain'];
  const { overall, byDomain } = ciderDByDomain(images, domains);
  assert.deepEqual(overall, ciderD(images));
  assert.equal(byDomain['in-domain'], ciderD(images.slice(0, 2)).score);
  assert.equal(byDomain['near-domain'], 0); // a one-image corpus
  assert.equal(byDomain['out-domain'], ciderD(images.slice(3)).score);
  assert.notEqual(overall.score, (2 * byDomain['in-domain']! + byDomain['near-domain']! + 2 * byDomain['out-domain']!) / 5);
});

test('a domain without images has no score', () => {
  const { byDomain } = ciderDByDomain([image('a b', 'a b'), image('c d', 'c d')], ['in-domain', 'in-domain']);
  assert.deepEqual(Object.keys(byDomain), ['in-domain']);
});
