/**
 * Keeps a source's ledger on disk up to date while its files arrive. Writes are atomic and run one
 * after another, so the ledger on disk is always a whole, recent snapshot, never an older one
 * overtaking a newer.
 */
import { writeLedger, type LedgerFile, type SourceLedger, type UrlListTotals } from '../raw/ledger.ts';

export class LedgerWriter {
  private chain: Promise<void> = Promise.resolve();
  private readonly ledger: SourceLedger;

  constructor(private readonly rawDir: string, init: Pick<SourceLedger, 'source' | 'mirror' | 'location'>) {
    this.ledger = { ...init, files: {}, complete: false, updatedAt: new Date().toISOString() };
  }

  setFile(path: string, entry: LedgerFile): Promise<void> {
    this.ledger.files[path] = entry;
    return this.save();
  }

  setUrlList(totals: UrlListTotals): Promise<void> {
    this.ledger.urlList = totals;
    return this.save();
  }

  setComplete(complete: boolean): Promise<void> {
    this.ledger.complete = complete;
    return this.save();
  }

  save(): Promise<void> {
    const snapshot: SourceLedger = { ...this.ledger, files: { ...this.ledger.files }, updatedAt: new Date().toISOString() };
    this.chain = this.chain.then(() => writeLedger(this.rawDir, snapshot));
    return this.chain;
  }
}
