/**
 * The questions of a VQA-format split, each claimed by at most one annotation by question_id.
 * Annotations usually come in the questions' file order, so the next claim is nearly always the
 * next question: questions are kept in a list and claimed at a cursor, and a map is built from the
 * unclaimed ones only when a claim comes out of order. (Putting VQAv2's 443,757 questions into a
 * Map and taking them out again was ~5% of a build's main thread.)
 *
 * Every listing is either claimed or left unclaimed (reported as having no annotation): a
 * question_id listed twice is claimed at its first listing, and the second stays unclaimed.
 */
export class QuestionJoin<T> {
  private ids: number[] = [];
  private entries: T[] = [];
  private cursor = 0;
  private byId: Map<number, T> | undefined;
  /** Later listings of an id already in `byId`, unclaimable. */
  private shadowed: [number, T][] = [];

  add(id: number, entry: T): void {
    this.ids.push(id);
    this.entries.push(entry);
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

  /** A map of the unclaimed listings; a listing of an id claimed or listed before it is shadowed. */
  private indexRemaining(): Map<number, T> {
    const claimed = new Set(this.ids.slice(0, this.cursor));
    const byId = new Map<number, T>();
    for (let i = this.cursor; i < this.ids.length; i++) {
      const id = this.ids[i]!;
      if (claimed.has(id) || byId.has(id)) this.shadowed.push([id, this.entries[i]!]);
      else byId.set(id, this.entries[i]!);
    }
    this.ids = [];
    this.entries = [];
    this.cursor = 0;
    return byId;
  }
}
