/**
 * The learning rate at each step (InstructBLIP §2.6, LAVIS's linear_warmup_cosine_lr): linear
 * warmup from warmupStartLr to peakLr, then cosine decay from peakLr to minLr over the remaining
 * steps. Recomputed every step, not once per inner epoch as LAVIS does; the curve is the same.
 */
import type { ScheduleConfig } from './config.ts';

/** The rate used by optimizer step `step` (0-based) of a run of `totalSteps`. */
export function learningRate(schedule: ScheduleConfig, step: number, totalSteps: number): number {
  const { peakLr, warmupStartLr, warmupSteps, minLr } = schedule;
  if (step < warmupSteps) return warmupStartLr + ((peakLr - warmupStartLr) * step) / warmupSteps;
  // Reaches minLr one step after the last, as LAVIS's cos(pi * epoch / max_epoch) never does inside a run.
  const progress = Math.min(1, (step - warmupSteps) / Math.max(1, totalSteps - warmupSteps));
  return minLr + 0.5 * (peakLr - minLr) * (1 + Math.cos(Math.PI * progress));
}
