/** `npm run inspect -- --example <record id>` or `--draw <n> --mixture <config>`: the provenance chain. */
import { inspectExample } from '../cli/inspect-example.ts';
import type { InspectView } from '../shards/inspect/inspect-view.ts';

export const exampleView: InspectView = {
  options: {
    example: { type: 'string' },
    draw: { type: 'string' },
    epoch: { type: 'string' },
  },
  usage: [
    'npm run inspect -- --example <record id> [--mixture <config>] [--epoch E]',
    'npm run inspect -- --draw <n> --mixture <config>',
    '    the chain from a training example back to dataset, shard row, raw file, sha256 and template',
  ],
  applies: (context) => context.values.example !== undefined || context.values.draw !== undefined,
  async run(context) {
    const number = (value: string | boolean | undefined, name: string) => {
      if (value === undefined) return undefined;
      const n = Number(value);
      if (!Number.isSafeInteger(n) || n < 0) throw new Error(`--${name} must be a whole number, not "${value}"`);
      return n;
    };
    context.out(await inspectExample({
      shardsDir: context.shardsDir,
      manifestsDir: context.manifestsDir,
      example: context.values.example as string | undefined,
      draw: number(context.values.draw, 'draw'),
      epoch: number(context.values.epoch, 'epoch'),
      mixture: context.values.mixture as string | undefined,
      json: context.json,
    }));
  },
};
