import type { Passage, PassageDirection, PassageSensor } from './interfaces.js';

export interface WaitForPassageOptions {
  readonly timeoutMs: number;
  /** Only a passage in this direction counts; others are ignored (someone leaving while we wait for an entry). */
  readonly direction?: PassageDirection;
  /** Aborting resolves with null at once, e.g. when an emergency-open command arrives. */
  readonly signal?: AbortSignal;
}

/**
 * Resolves with the next passage, or null when none came within the timeout (the visitor did not walk through:
 * the core then closes the gate and does not consume the entry).
 */
export function waitForPassage(
  sensor: PassageSensor,
  options: WaitForPassageOptions,
): Promise<Passage | null> {
  return new Promise((resolve) => {
    if (options.signal?.aborted) {
      resolve(null);
      return;
    }
    const finish = (result: Passage | null) => {
      clearTimeout(timer);
      sensor.off('passage', onPassage);
      options.signal?.removeEventListener('abort', onAbort);
      resolve(result);
    };
    const onPassage = (passage: Passage) => {
      if (options.direction === undefined || passage.direction === options.direction) finish(passage);
    };
    const onAbort = () => finish(null);
    const timer = setTimeout(() => finish(null), options.timeoutMs);
    sensor.on('passage', onPassage);
    options.signal?.addEventListener('abort', onAbort, { once: true });
  });
}
