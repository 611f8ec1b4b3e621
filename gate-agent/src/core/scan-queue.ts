/**
 * Runs scan handlers one at a time, in arrival order: a lane makes one decision, and waits for one passage, before
 * it looks at the next code. A visitor hammering the scanner while the gate is open must not build a backlog that
 * replays minutes later, so only a few scans may wait; more are dropped (and reported).
 */
export class ScanQueue {
  readonly #maxWaiting: number;
  #tail: Promise<void> = Promise.resolve();
  #waiting = 0;
  #closed = false;

  constructor(maxWaiting: number) {
    this.#maxWaiting = maxWaiting;
  }

  /** Queues a task; false when it was dropped because the queue is full or closed. */
  push(task: () => Promise<void>): boolean {
    if (this.#closed || this.#waiting >= this.#maxWaiting) return false;
    this.#waiting++;
    this.#tail = this.#tail.then(async () => {
      this.#waiting--;
      if (this.#closed) return;
      await task();
    });
    return true;
  }

  /** Resolves when everything queued so far has finished. */
  idle(): Promise<void> {
    return this.#tail;
  }

  /** Drops the waiting tasks; the one running finishes. Resolves when it has. */
  close(): Promise<void> {
    this.#closed = true;
    return this.#tail;
  }
}
