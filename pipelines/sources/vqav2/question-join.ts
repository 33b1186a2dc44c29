/**
 * The questions of a VQA-format split, each claimed by at most one annotation by question_id.
 * Questions arrive while annotations are claimed (the reader reads the questions file just ahead
 * of the annotations file), and annotations usually come in the questions' order, so the next
 * claim is nearly always the oldest unclaimed question: questions are kept in a list and claimed
 * at a cursor, and a map of the unclaimed ones is built only when a claim comes out of order.
 * (Putting VQAv2's 443,757 questions into a Map and taking them out again was ~5% of a build's
 * main thread.)
 *
 * Every listing is claimed at most once, by its own id, or left unclaimed (reported as having no
 * annotation).
 */
export class QuestionJoin<T> {
  private ids: number[] = [];
  private entries: T[] = [];
  private cursor = 0;
  private byId: Map<number, T> | undefined;
  /** Listings of an id that had an unclaimed listing in `byId` when they came. */
  private shadowed: [number, T][] = [];

  add(id: number, entry: T): void {
    if (this.byId === undefined) {
      this.ids.push(id);
      this.entries.push(entry);
    } else if (this.byId.has(id)) {
      this.shadowed.push([id, entry]);
    } else {
      this.byId.set(id, entry);
    }
  }

  /** Whether `claim(id)` would find a listing now. */
  has(id: number): boolean {
    if (this.byId === undefined) {
      if (this.cursor === this.ids.length) return false;
      if (this.ids[this.cursor] === id) return true;
      this.byId = this.indexRemaining();
    }
    return this.byId.has(id);
  }

  /** The entry of `id` if it is listed and not yet claimed; claiming it again finds nothing. */
  claim(id: number): T | undefined {
    if (this.byId === undefined) {
      if (this.cursor < this.ids.length && this.ids[this.cursor] === id) return this.entries[this.cursor++];
      this.byId = this.indexRemaining();
    }
    const entry = this.byId.get(id);
    if (entry !== undefined) this.byId.delete(id);
    return entry;
  }

  /** The listings never claimed: in list order, then any later listings of a duplicated id. */
  *unclaimed(): Generator<[number, T]> {
    if (this.byId === undefined) {
      for (let i = this.cursor; i < this.ids.length; i++) yield [this.ids[i]!, this.entries[i]!];
      return;
    }
    yield* this.byId;
    yield* this.shadowed;
  }

  /** A map of the unclaimed listings; a later listing of an id already in it is shadowed. */
  private indexRemaining(): Map<number, T> {
    const byId = new Map<number, T>();
    for (let i = this.cursor; i < this.ids.length; i++) {
      const id = this.ids[i]!;
      if (byId.has(id)) this.shadowed.push([id, this.entries[i]!]);
      else byId.set(id, this.entries[i]!);
    }
    this.ids = [];
    this.entries = [];
    this.cursor = 0;
    return byId;
  }
}
