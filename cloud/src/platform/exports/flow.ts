/**
 * Backpressure for the writers: a writer that keeps producing while its output is slow (a client on a phone link)
 * would hold the whole report in buffers. Each writer waits for the stage in front of it to drain, and gives up as
 * soon as the output fails or is closed (the client went away), so no work goes on for nobody.
 */
import type { Writable } from 'node:stream';

/** Rejects when `out` was destroyed or ended before the writer finished. */
export function assertOpen(out: Writable): void {
  if (out.destroyed || out.writableEnded) throw out.errored ?? new Error('export output closed early');
}

/**
 * Resolves once `stage` (the output or a stage that feeds it) wants more data, at once when it does already;
 * rejects when `out` errors or closes first.
 */
export function drained(stage: Writable, out: Writable): Promise<void> {
  assertOpen(out);
  if (!stage.writableNeedDrain) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const onDrain = () => {
      cleanup();
      resolve();
    };
    const onClose = () => {
      cleanup();
      reject(out.errored ?? new Error('export output closed early'));
    };
    const cleanup = () => {
      stage.off('drain', onDrain);
      out.off('close', onClose);
      out.off('error', onClose);
    };
    stage.on('drain', onDrain);
    out.on('close', onClose);
    out.on('error', onClose);
  });
}

/** Lets timers and I/O callbacks run (compression, socket writes) between batches of synchronous work. */
export function yieldToLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
