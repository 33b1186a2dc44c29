/**
 * Every report section the project has, in page order: the trainer's, the demo's and the
 * evaluation's. Each returns null when its files are absent, so whichever command writes
 * report.html last (train, demo, eval) keeps what the others put there.
 */
import { demoSection } from '../../demo/report-section.ts';
import { evaluationSection } from '../../eval/report-section.ts';
import { type SectionBuilder, STANDARD_SECTIONS } from './sections.ts';

export const ALL_SECTIONS: readonly SectionBuilder[] = [...STANDARD_SECTIONS, demoSection, evaluationSection];
