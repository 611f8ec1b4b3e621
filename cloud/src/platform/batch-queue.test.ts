import { describe, expect, it } from 'vitest';
import { BatchQueue, type BatchQueueOptions } from './batch-queue.js';

/** A queue that doubles numbers and records each batch it ran; `fails` says which batches throw. */
function doubling(
  options: Partial<BatchQueueOptions<number, number>> & {
    fails?: (items: readonly number[]) => boolean;
  } = {},
) {
  const batches: number[][] = [];
  const queue = new BatchQueue<number, number>({
    maxBatch: 100,
    start: 'microtask',
    onFailure: 'reject-all',
    run: async (items) => {
      batches.push([...items]);
      await new Promise((resolve) => setImmediate(resolve));
      if (options.fails?.(items)) throw new Error(`batch ${items.join(',')} failed`);
      return items.map((n) => n * 2);
    },
    ...options,
  });
  return { queue, batches };
}

describe('BatchQueue', () => {
  it('runs the items queued together as one batch and answers each with its own result', async () => {
    const { queue, batches } = doubling();
    const answers = await Promise.all([queue.add(1), queue.add(2), queue.add(3)]);
    expect(answers).toEqual([2, 4, 6]);
    expect(batches).toEqual([[1, 2, 3]]);
  });

  it('gathers items that arrive while a batch runs into the next batch, one batch at a time, in order', async () => {
    const { queue, batches } = doubling();
    const first = queue.add(1);
    await new Promise((resolve) => setImmediate(resolve)); // the first batch is running now
    const later = [queue.add(2), queue.add(3)];
    expect(await Promise.all([first, ...later])).toEqual([2, 4, 6]);
    expect(batches).toEqual([[1], [2, 3]]);
  });

  it('cuts batches at maxBatch', async () => {
    const { queue, batches } = doubling({ maxBatch: 2 });
    await Promise.all([1, 2, 3, 4, 5].map((n) => queue.add(n)));
    expect(batches).toEqual([[1, 2], [3, 4], [5]]);
  });

  it('starts at once with `microtask`: an item queued by a later microtask waits for the next batch', async () => {
    const { queue, batches } = doubling({ start: 'microtask' });
    const answers = [queue.add(1)];
    await Promise.resolve();
    answers.push(queue.add(2));
    await Promise.all(answers);
    expect(batches).toEqual([[1], [2]]);
  });

  it('waits for the event loop with `immediate`: what is queued before then joins the first batch', async () => {
    const { queue, batches } = doubling({ start: 'immediate' });
    const answers = [queue.add(1)];
    await Promise.resolve();
    answers.push(queue.add(2));
    await new Promise<void>((resolve) => process.nextTick(resolve));
    answers.push(queue.add(3));
    await Promise.all(answers);
    expect(batches).toEqual([[1, 2, 3]]);
  });

  it('with `reject-all`, fails every item of a failed batch with its error', async () => {
    const { queue, batches } = doubling({ fails: (items) => items.includes(2) });
    const results = await Promise.allSettled([queue.add(1), queue.add(2), queue.add(3)]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected', 'rejected']);
    expect(results[0]).toMatchObject({ reason: new Error('batch 1,2,3 failed') });
    expect(batches).toEqual([[1, 2, 3]]);
  });

  it('with `retry-each`, runs each item of a failed batch alone: only the bad one fails', async () => {
    const { queue, batches } = doubling({ onFailure: 'retry-each', fails: (items) => items.includes(2) });
    const results = await Promise.allSettled([queue.add(1), queue.add(2), queue.add(3)]);
    expect(results).toEqual([
      { status: 'fulfilled', value: 2 },
      { status: 'rejected', reason: new Error('batch 2 failed') },
      { status: 'fulfilled', value: 6 },
    ]);
    expect(batches).toEqual([[1, 2, 3], [1], [2], [3]]);
  });

  it('goes on with later batches after a failure', async () => {
    const { queue } = doubling({ fails: (items) => items.includes(1) });
    await expect(queue.add(1)).rejects.toThrow('batch 1 failed');
    expect(await queue.add(4)).toBe(8);
  });
});
