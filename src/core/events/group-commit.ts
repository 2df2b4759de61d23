/** What a batch writer reports for one item: its result, or the error that item alone failed with. */
export type ItemOutcome<O> = { ok: true; value: O } | { ok: false; error: unknown };

interface Submitted<I, O> {
  item: I;
  resolve: (value: O) => void;
  reject: (error: unknown) => void;
}

/**
 * Group commit: items submitted while a batch is being written go out together in the next one,
 * in one statement and one transaction. An idle system writes each item at once (no timer, no
 * added latency); a busy one pays the round trip, the commit and the event-loop turn once per
 * batch instead of once per item. Each submitter's promise settles only when its batch is done.
 *
 * `writeBatch` returns one outcome per item, in order; if it throws, every item of the batch fails.
 */
export class GroupCommit<I, O> {
  private queue: Submitted<I, O>[] = [];
  private flushing: Promise<void> | null = null;

  constructor(
    private readonly writeBatch: (items: I[]) => Promise<ItemOutcome<O>[]>,
    private readonly maxBatch: number,
  ) {}

  submit(item: I): Promise<O> {
    return new Promise<O>((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      this.flushing ??= this.flushAll();
    });
  }

  /** Resolves once everything submitted so far has been written (or has failed). */
  async drain(): Promise<void> {
    while (this.flushing) await this.flushing;
  }

  private async flushAll(): Promise<void> {
    try {
      while (this.queue.length > 0) {
        const batch = this.queue.splice(0, this.maxBatch);
        await this.flush(batch);
      }
    } finally {
      this.flushing = null;
    }
  }

  private async flush(batch: Submitted<I, O>[]): Promise<void> {
    let outcomes: ItemOutcome<O>[];
    try {
      outcomes = await this.writeBatch(batch.map((s) => s.item));
    } catch (err) {
      for (const submitted of batch) submitted.reject(err);
      return;
    }
    batch.forEach((submitted, index) => {
      const outcome = outcomes[index];
      if (!outcome) submitted.reject(new Error('the batch writer returned no outcome for this item'));
      else if (outcome.ok) submitted.resolve(outcome.value);
      else submitted.reject(outcome.error);
    });
  }
}
