import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { USAGE } from '../../pipelines/fetch/ingest-cli.ts';

test('the README shows the usage text the CLI prints', () => {
  const readme = readFileSync(new URL('../../pipelines/fetch/README.md', import.meta.url), 'utf8');
  assert.ok(readme.includes(`\`\`\`text\n${USAGE}\`\`\``), 'pipelines/fetch/README.md usage block is out of date with USAGE in ingest-cli.ts');
});
