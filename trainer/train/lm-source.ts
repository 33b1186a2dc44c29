/** Where the frozen LM comes from: a checkpoint folder named in the config. */
import type { TrainConfig } from './config.ts';

export async function resolveLmFolder(config: TrainConfig, log: (line: string) => void): Promise<string> {
  const lm = config.model.lm;
  if ('checkpoint' in lm) return lm.checkpoint;
  log('model.lm.stage0: pretraining the demo LM first');
  throw new Error('model.lm.stage0 is not available yet');
}
