/**
 * npm run train -- [--config trainer/configs/demo.json] [--name NAME] [--resume runs/NAME] [--force]
 *   [--steps N] [--no-instruction-aware] [--mixture-policy P] [--backend B] [--runs-dir DIR]
 *
 * Trains the Q-Former side of InstructBLIP on the held-in shards (trainer/train/train.ts).
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { POLICIES, type PolicyName } from '../../pipelines/mixture/index.ts';
import type { BackendName } from '../backend.ts';
import { loadTrainConfig, type TrainConfig } from '../train/config.ts';
import { RUN_FILES, train } from '../train/train.ts';

const USAGE = `Usage: npm run train -- [options]

Trains the instruction-aware Q-Former (and its query tokens, ln_vision and the language projection)
in front of the frozen LM, on the held-in shards through the balanced sampler. Writes
runs/<name>/ (config.json, metrics.jsonl, checkpoints/step-N/, report.html).

  --config FILE            training config (default: trainer/configs/demo.json)
  --name NAME              run folder name under --runs-dir (default: the config's name, plus
                           -agnostic / -<policy> for the ablation switches below)
  --runs-dir DIR           where runs go (default: runs)
  --resume DIR             continue the run in DIR from its newest checkpoint (its config.json is
                           used unless --config is given)
  --force                  resume even if the config or the shards changed since the checkpoint
  --steps N                override train.steps
  --no-instruction-aware   ablation: the Q-Former gets no instruction tokens (BLIP-2 style)
  --mixture-policy P       ablation: mixture policy (${Object.keys(POLICIES).join(', ')})
  --backend B              tensorflow-gpu, tensorflow, wasm or cpu (default: the best installed)
  --progress-every N       plain progress line every N steps when not on a terminal
  -h, --help               this text

Exit status: 0 when training finished; 1 when it failed; 2 on bad usage.`;

class UsageError extends Error {}

function positiveInt(text: string | undefined, flag: string): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`${flag} must be a positive integer, got "${text}"`);
  return n;
}

interface Overrides {
  steps?: number;
  instructionAware?: false;
  policy?: PolicyName;
  backend?: BackendName;
}

function applyOverrides(config: TrainConfig, o: Overrides): TrainConfig {
  return {
    ...config,
    model: o.instructionAware === false ? { ...config.model, qformer: { ...config.model.qformer, instructionAware: false } } : config.model,
    train: { ...config.train, ...(o.steps === undefined ? {} : { steps: o.steps }), ...(o.backend === undefined ? {} : { backend: o.backend }) },
    mixture: o.policy === undefined ? config.mixture : { ...config.mixture, policy: o.policy },
  };
}

/** The default run name says which ablations it runs. */
function runName(config: TrainConfig, o: Overrides): string {
  return [config.name, ...(o.instructionAware === false ? ['agnostic'] : []), ...(o.policy === undefined ? [] : [o.policy])].join('-');
}

async function main(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      config: { type: 'string' },
      name: { type: 'string' },
      'runs-dir': { type: 'string', default: 'runs' },
      resume: { type: 'string' },
      force: { type: 'boolean', default: false },
      steps: { type: 'string' },
      'no-instruction-aware': { type: 'boolean', default: false },
      'mixture-policy': { type: 'string' },
      backend: { type: 'string' },
      'progress-every': { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const policy = values['mixture-policy'];
  if (policy !== undefined && !(policy in POLICIES)) throw new UsageError(`--mixture-policy must be one of ${Object.keys(POLICIES).join(', ')}, got "${policy}"`);
  const backend = values.backend;
  if (backend !== undefined && !['tensorflow-gpu', 'tensorflow', 'wasm', 'cpu'].includes(backend)) throw new UsageError(`--backend must be tensorflow-gpu, tensorflow, wasm or cpu, got "${backend}"`);
  const overrides: Overrides = {
    ...(values.steps === undefined ? {} : { steps: positiveInt(values.steps, '--steps') }),
    ...(values['no-instruction-aware'] ? { instructionAware: false as const } : {}),
    ...(policy === undefined ? {} : { policy: policy as PolicyName }),
    ...(backend === undefined ? {} : { backend: backend as BackendName }),
  };

  let config: TrainConfig;
  let runDir: string;
  if (values.resume !== undefined) {
    runDir = values.resume;
    const saved = path.join(runDir, RUN_FILES.config);
    if (values.config === undefined && !existsSync(saved)) throw new Error(`${runDir} is not a run folder (no ${RUN_FILES.config}); give the run's folder, e.g. runs/demo`);
    const base = values.config === undefined ? (JSON.parse(readFileSync(saved, 'utf8')) as TrainConfig) : loadTrainConfig(values.config);
    config = applyOverrides(base, overrides);
  } else {
    config = applyOverrides(loadTrainConfig(values.config ?? 'trainer/configs/demo.json'), overrides);
    runDir = path.join(values['runs-dir'], values.name ?? runName(config, overrides));
  }
  await train({
    config, runDir, resume: values.resume !== undefined, force: values.force,
    progressEvery: positiveInt(values['progress-every'], '--progress-every'),
  });
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: Error) => {
    if (err instanceof UsageError || (err as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      console.error(`train: ${err.message}\n\n${USAGE}`);
      process.exitCode = 2;
    } else {
      console.error(`train: ${err.message}`);
      process.exitCode = 1;
    }
  },
);
