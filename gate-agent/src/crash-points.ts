/**
 * Test-only crash points: the places in an admit's life where a `kill -9` or a power cut leaves different things on
 * disk. The crash tests start an agent with `SCENIC_GATE_TEST_CRASH_AT=<point>` and `NODE_ENV=test`; when the agent
 * reaches that point it kills itself with SIGKILL, so the test knows exactly where it died instead of racing a signal
 * against a 100 ms walk. Without both variables (any production start) a crash point does nothing.
 */

/** In the order an admitted entry passes them. */
export const CRASH_POINTS = [
  /** Decided to admit; nothing written, the relay not fired. */
  'before-pulse',
  /** The admit intent is on disk and the relay fired; the visitor has not reached the passage sensor. */
  'after-pulse',
  /** The passage sensor reported the visitor; the passage is not stored yet. */
  'after-sensor',
  /** The passage, its entry and its outbox event are on disk; not yet published. */
  'after-store',
  /** The event was handed to the MQTT client; the broker has not acknowledged it yet. */
  'after-send',
  /** The broker acknowledged the event (the cloud stores it); the outbox row is not yet marked sent. */
  'before-mark-sent',
] as const;
export type CrashPoint = (typeof CRASH_POINTS)[number];

export const CRASH_POINT_ENV = 'SCENIC_GATE_TEST_CRASH_AT';

const armed: CrashPoint | undefined =
  process.env.NODE_ENV === 'test' &&
  (CRASH_POINTS as readonly string[]).includes(process.env[CRASH_POINT_ENV] ?? '')
    ? (process.env[CRASH_POINT_ENV] as CrashPoint)
    : undefined;

/** Dies here, as `kill -9` would, when a crash test armed this point; otherwise nothing. */
export function crashPoint(point: CrashPoint): void {
  if (armed === point) process.kill(process.pid, 'SIGKILL');
}
