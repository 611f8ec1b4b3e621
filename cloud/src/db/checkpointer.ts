/**
 * WAL checkpoints off the event loop. better-sqlite3 runs every statement synchronously, and SQLite runs its
 * automatic checkpoint inside the COMMIT that crosses `wal_autocheckpoint` pages: copying a few megabytes of pages
 * into the database file and syncing it held the cloud's only thread for 6–25 ms at a time under load — gates'
 * validation requests and every other message waited behind it. Here the serving connection never checkpoints
 * (`wal_autocheckpoint = 0`) and a worker thread with its own connection runs PASSIVE checkpoints on a timer. A
 * passive checkpoint never blocks a writer or a reader; the serving connection restarts the WAL from the top once a
 * checkpoint has copied everything, so the file stays bounded.
 *
 * Durability does not change: a COMMIT still writes (and under FULL, syncs) the WAL as before; the checkpoint only
 * moves committed pages into the main file. If the worker fails, the serving connection goes back to automatic
 * checkpoints.
 */
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

export interface CheckpointerLogger {
  warn(details: object, message: string): void;
}

/** The worker's source: CommonJS, so it loads better-sqlite3 from the path the parent resolved. */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.module);
const db = new Database(workerData.path, { timeout: 0 });
const timer = setInterval(() => {
  try {
    db.pragma('wal_checkpoint(PASSIVE)');
  } catch (error) {
    // SQLITE_BUSY: another checkpoint is running; the next round tries again.
    if (error && error.code !== 'SQLITE_BUSY') parentPort.postMessage({ failed: String(error && error.message) });
  }
}, workerData.intervalMs);
parentPort.on('message', (message) => {
  if (message !== 'stop') return;
  clearInterval(timer);
  db.close();
  parentPort.close();
});
`;

export class BackgroundCheckpointer {
  readonly #worker: Worker;
  readonly #exited: Promise<void>;

  /**
   * Starts checkpointing `path` every `intervalMs`. `fallback` is called once if the worker fails (it should turn
   * automatic checkpoints back on for the serving connection).
   */
  constructor(path: string, intervalMs: number, fallback: () => void, logger?: CheckpointerLogger) {
    const module = createRequire(import.meta.url).resolve('better-sqlite3');
    this.#worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { path, intervalMs, module } });
    // The timer must not keep a process alive that has nothing else to do.
    this.#worker.unref();
    let fellBack = false;
    const fail = (details: object) => {
      if (fellBack) return;
      fellBack = true;
      logger?.warn(details, 'background WAL checkpoints failed; back to automatic checkpoints');
      fallback();
    };
    this.#worker.on('message', (message: { failed?: string }) => {
      if (message.failed) fail({ reason: message.failed });
    });
    this.#worker.on('error', (error) => fail({ err: error }));
    this.#exited = new Promise((resolve) => this.#worker.once('exit', () => resolve()));
  }

  /** Stops the worker after its current checkpoint; resolves when it has closed its connection. */
  async stop(): Promise<void> {
    this.#worker.postMessage('stop');
    const timeout = setTimeout(() => void this.#worker.terminate(), 5_000);
    await this.#exited;
    clearTimeout(timeout);
  }
}
