/** Where the frozen LM comes from: an HF folder named in the config, or the demo's cached stage 0. */
import { ensureStage0Lm } from '../demo/lm-stage.ts';
import type { TrainConfig } from './config.ts';

export async function resolveLmFolder(config: TrainConfig, log: (line: string) => void): Promise<string> {
  const lm = config.model.lm;
  return 'checkpoint' in lm ? lm.checkpoint : ensureStage0Lm(lm.stage0, config, log);
}
