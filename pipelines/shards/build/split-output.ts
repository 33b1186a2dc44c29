/** Everything one (dataset, split) produces during a build: shards, quarantine file, counts. */
import path from 'node:path';
import type { InstructRecord } from '../../record.ts';
import type { Quarantine } from '../../sources/types.ts';
import { quarantineFile } from '../layout.ts';
import type { SplitManifest } from '../manifest.ts';
import { ShardWriter, type ShardWriterOptions } from '../shard-writer.ts';
import { quarantinedTotal } from './error-budget.ts';
import { QuarantineWriter } from './quarantine-writer.ts';

export type ShardSizes = Pick<ShardWriterOptions, 'batchRows' | 'partBytes'>;

export class SplitOutput {
  private readonly shards: ShardWriter;
  private readonly quarantined: QuarantineWriter;
  readonly reasons: Record<string, number> = {};
  readonly skipped: Record<string, number> = {};

  constructor(shardsDir: string, readonly dataset: string, readonly split: string, sizes: ShardSizes) {
    this.shards = new ShardWriter({ shardsDir, dataset, split, ...sizes });
    this.quarantined = new QuarantineWriter(path.join(shardsDir, quarantineFile(dataset, split)));
  }

  get records(): number {
    return this.shards.count;
  }

  append(record: InstructRecord): Promise<void> | undefined {
    return this.shards.append(record);
  }

  quarantine(entry: Quarantine & { id?: string }): Promise<void> {
    this.reasons[entry.reason] = (this.reasons[entry.reason] ?? 0) + 1;
    return this.quarantined.write(entry);
  }

  skip(rule: string): void {
    this.skipped[rule] = (this.skipped[rule] ?? 0) + 1;
  }

  async finish(): Promise<SplitManifest> {
    const shards = await this.shards.finish();
    const wrote = await this.quarantined.finish();
    return {
      records: this.records,
      quarantined: { total: quarantinedTotal(this.reasons), reasons: { ...this.reasons }, file: wrote ? quarantineFile(this.dataset, this.split) : null },
      skipped: { ...this.skipped },
      shards,
    };
  }

  async abort(): Promise<void> {
    await this.shards.abort();
    await this.quarantined.abort();
  }
}
