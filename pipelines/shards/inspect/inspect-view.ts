/**
 * `npm run inspect` is a list of views; the first whose `applies` accepts the arguments runs. A new
 * option (for example `--mixture <config>`) is a new view in its own file, added to the list in
 * pipelines/cli/inspect.ts.
 */
import type { ParseArgsConfig } from 'node:util';

export interface InspectContext {
  shardsDir: string;
  manifestsDir: string;
  json: boolean;
  /** Every parsed option, the common ones and those of all views. */
  values: Record<string, string | boolean | undefined>;
  positionals: string[];
  out: (text: string) => void;
}

export interface InspectView {
  /** Options this view adds to the command line. */
  options: NonNullable<ParseArgsConfig['options']>;
  /** Lines for --help. */
  usage: string[];
  applies(context: InspectContext): boolean;
  run(context: InspectContext): Promise<void>;
}
