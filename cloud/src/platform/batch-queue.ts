/**
 * A queue that runs calls together: calls that arrive while a batch is running wait and then run as the next batch,
 * typically in one transaction (one COMMIT for hundreds of passage events, gate states or command acks instead of
 * one each), and each caller hears back only when its batch has finished, with its own answer. One batch runs at a
 * time, in arrival order.
 *
 * Its users differ on purpose, so those differences are options: when the first batch after a quiet spell starts,
 * how large a batch may grow, and whether a batch that fails is tried again item by item.
 */

export interface BatchQueueOptions<Item, Answer> {
  /**
   * Runs one batch and returns one answer per item, in the items' order. Throwing fails the batch (see
   * `onFailure`); nothing is answered before it returns.
   */
  readonly run: (items: readonly Item[]) => Promise<readonly Answer[]>;
  /** Items per batch at most (a batch holds SQLite's write lock while it runs). */
  readonly maxBatch: number;
  /**
   * When the first batch after a quiet spell starts. `microtask`: as soon as the code that queued the first item
   * is done, so a lone item waits for nothing. `immediate`: after one turn of the event loop (setImmediate), so
   * every message already read from the sockets in the same poll phase joins that first batch.
   */
  readonly start: 'microtask' | 'immediate';
  /**
   * What a failed batch of several items means. `reject-all`: every item fails with the batch's error.
   * `retry-each`: each item runs again as a batch of its own, so only an item that cannot be applied fails and the
   * others need no redelivery. A batch of one fails with its error either way.
   */
  readonly onFailure: 'reject-all' | 'retry-each';
}

interface Pending<Item, Answer> {
  readonly item: Item;
  readonly resolve: (answer: Answer) => void;
  readonly reject: (error: unknown) => void;
}

export class BatchQueue<Item, Answer> {
  readonly #options: BatchQueueOptions<Item, Answer>;
  #queue: Pending<Item, Answer>[] = [];
  #draining = false;

  constructor(options: BatchQueueOptions<Item, Answer>) {
    this.#options = options;
  }

  /** Queues one item; resolves with its answer once its batch has run (rejects when it failed). */
  add(item: Item): Promise<Answer> {
    return new Promise<Answer>((resolve, reject) => {
      this.#queue.push({ item, resolve, reject });
      if (this.#draining) return;
      this.#draining = true;
      if (this.#options.start === 'immediate') setImmediate(() => void this.#drain());
      else queueMicrotask(() => void this.#drain());
    });
  }

  async #drain(): Promise<void> {
    try {
      while (this.#queue.length > 0) await this.#settle(this.#queue.splice(0, this.#options.maxBatch));
    } finally {
      this.#draining = false;
    }
  }

  async #settle(batch: readonly Pending<Item, Answer>[]): Promise<void> {
    let answers: readonly Answer[];
    try {
      answers = await this.#options.run(batch.map((pending) => pending.item));
    } catch (error) {
      if (batch.length === 1 || this.#options.onFailure === 'reject-all') {
        for (const pending of batch) pending.reject(error);
        return;
      }
      for (const pending of batch) await this.#settle([pending]);
      return;
    }
    for (const [i, pending] of batch.entries()) pending.resolve(answers[i]!);
  }
}
