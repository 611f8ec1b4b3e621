/**
 * The leader's jobs follow the leadership: started when it leads, stopped when it steps down, made afresh when it
 * leads again (a stopped backup scheduler cannot start again), and stopped for good by stop(). The leadership here
 * is the real SQLite one, which steps down on stop() and leads again on start().
 */
import { describe, expect, it } from 'vitest';
import { openLeadership } from './db/leadership.js';
import { LeaderJobs, type PeriodicJob } from './leader-jobs.js';

const quiet = { info: () => {}, warn: () => {}, error: () => {} };

function recorder() {
  const events: string[] = [];
  let made = 0;
  const make = (name: string) => (): PeriodicJob => {
    const n = ++made;
    return {
      start: () => void events.push(`start ${name}#${n}`),
      stop: async () => void events.push(`stop ${name}#${n}`),
    };
  };
  return { events, make };
}

describe('the leader’s periodic jobs', () => {
  it('start with the leadership, stop when it is lost, are made anew when it comes back', async () => {
    const leadership = openLeadership(
      { dialect: 'sqlite', path: ':memory:', synchronous: 'NORMAL', busyTimeoutMs: 1 },
      quiet,
    );
    const { events, make } = recorder();
    const jobs = new LeaderJobs(
      leadership,
      [
        { name: 'anchors', make: make('anchors') },
        { name: 'backups', make: () => undefined },
        { name: 'expiry', make: make('expiry') },
      ],
      quiet,
    );
    await jobs.start();
    expect(jobs.running).toEqual(['anchors', 'expiry']);
    await leadership.stop();
    await leadership.start();
    await jobs.stop();
    // Stopped in the reverse order of their start; the second leadership runs new jobs.
    expect(events).toEqual([
      'start anchors#1',
      'start expiry#2',
      'stop expiry#2',
      'stop anchors#1',
      'start anchors#3',
      'start expiry#4',
      'stop expiry#4',
      'stop anchors#3',
    ]);
    expect(jobs.running).toEqual([]);
    // After stop() the leadership is no longer followed.
    await leadership.stop();
    await leadership.start();
    expect(events).toHaveLength(8);
  });

  it('a job that fails to start is logged and the others run', async () => {
    const leadership = openLeadership(
      { dialect: 'sqlite', path: ':memory:', synchronous: 'NORMAL', busyTimeoutMs: 1 },
      quiet,
    );
    const errors: string[] = [];
    const jobs = new LeaderJobs(
      leadership,
      [
        {
          name: 'broken',
          make: () => ({
            start: () => {
              throw new Error('no folder');
            },
            stop: async () => {},
          }),
        },
        { name: 'fine', make: recorder().make('fine') },
      ],
      { error: (details) => errors.push((details as { job: string }).job) },
    );
    await jobs.start();
    expect(jobs.running).toEqual(['fine']);
    expect(errors).toEqual(['broken']);
    await jobs.stop();
  });
});
