import type { Passage, PassageDirection, PassageSensor } from '../drivers/index.js';

export interface CountPassagesOptions {
  readonly direction: PassageDirection;
  /** The most persons this pass lets through: counting stops at this many. */
  readonly max: number;
  /** How long the first person has (the config's passage timeout). */
  readonly firstTimeoutMs: number;
  /** How long after each person the pass waits for the next before it ends (the config's group idle timeout). */
  readonly idleMs: number;
  /**
   * Called synchronously for each counted person while more may follow (count < max), before the next one is
   * awaited: the pipeline writes the headcount down and releases the turnstile again. If it throws, the pass ends
   * with the persons counted.
   */
  readonly onPerson: (count: number) => void;
}

export interface CountedPassages {
  /** Persons counted; 0 = nobody passed within the first timeout. */
  readonly count: number;
  /** When the last counted person passed (epoch ms), or null when nobody did. */
  readonly lastAt: number | null;
}

/**
 * Counts the persons of one pass through the lane: the first within `firstTimeoutMs`, each next within `idleMs` of
 * the previous, at most `max`. One listener for the whole pass, so two persons the sensor reports in the same tick
 * are both counted. A single admit is the case max = 1.
 */
export function countPassages(
  sensor: PassageSensor,
  options: CountPassagesOptions,
): Promise<CountedPassages> {
  return new Promise((resolve) => {
    let count = 0;
    let lastAt: number | null = null;
    let timer: NodeJS.Timeout;
    const finish = () => {
      clearTimeout(timer);
      sensor.off('passage', onPassage);
      resolve({ count, lastAt });
    };
    const onPassage = (passage: Passage) => {
      if (passage.direction !== options.direction) return;
      count++;
      lastAt = passage.at;
      if (count >= options.max) {
        finish();
        return;
      }
      clearTimeout(timer);
      timer = setTimeout(finish, options.idleMs);
      try {
        options.onPerson(count);
      } catch {
        // The headcount could not be written down: release nobody more, and report who passed so far.
        finish();
      }
    };
    timer = setTimeout(finish, options.firstTimeoutMs);
    sensor.on('passage', onPassage);
  });
}
