/**
 * Group commit: what concurrent callers submit while a write is in flight is written together
 * by the next one, in one transaction. At light load a submission is written at once (no added
 * wait); under load, one transaction and one WAL flush carry many requests. Each caller gets its
 * own answer; if a shared write fails, each of its submissions is tried alone, so one bad item
 * fails only its own caller.
 */
export class GroupCommit<In, Out> {
  readonly #waiting: { item: In; resolve: (out: Out) => void; reject: (error: unknown) => void }[] = [];
  #draining: Promise<void> | null = null;

  /** Writes items in one transaction; answers one result per item, in order. */
  private readonly write: (items: In[]) => Promise<Out[]>;
  /** Most items per write: bounds a transaction's size and a caller's wait. */
  private readonly maxItems: number;

  constructor(write: (items: In[]) => Promise<Out[]>, maxItems = 500) {
    this.write = write;
    this.maxItems = maxItems;
  }

  submit(item: In): Promise<Out> {
    return new Promise<Out>((resolve, reject) => {
      this.#waiting.push({ item, resolve, reject });
      this.#draining ??= this.#drain();
    });
  }

  /** Resolves once everything submitted so far is written (or has failed): for a graceful stop. */
  async idle(): Promise<void> {
    while (this.#draining) await this.#draining;
  }

  async #drain(): Promise<void> {
    try {
      while (this.#waiting.length > 0) {
        const group = this.#waiting.splice(0, this.maxItems);
        try {
          const outs = await this.write(group.map((g) => g.item));
          for (const [i, g] of group.entries()) g.resolve(outs[i] as Out);
        } catch (error) {
          if (group.length === 1) {
            group[0]?.reject(error);
            continue;
          }
          for (const g of group) {
            await this.write([g.item]).then(
              ([out]) => g.resolve(out as Out),
              (alone: unknown) => g.reject(alone),
            );
          }
        }
      }
    } finally {
      this.#draining = null;
    }
  }
}
