import { describe, expect, it } from 'vitest';
import { AutoCheckoutJob } from './auto-checkout-job.js';
import type { AutoCheckoutRun } from './service.js';

const RUN: AutoCheckoutRun = {
  siteId: 'park',
  day: '2026-12-08',
  at: 1,
  occupancyDay: '2026-12-08',
  checkedOut: 3,
  ranAt: 2,
};

describe('the automatic check-out job', () => {
  it('runs a round at start (catching up), hands each run on, and survives a failed round', async () => {
    const rounds: string[] = [];
    const told: AutoCheckoutRun[] = [];
    const errors: string[] = [];
    let fail = false;
    const job = new AutoCheckoutJob(
      {
        checkOutDue: async () => {
          rounds.push('round');
          if (fail) throw new Error('database away');
          return rounds.length === 1 ? [RUN] : [];
        },
      },
      { error: (_details, message) => errors.push(message) },
      3_600_000,
      (run) => {
        told.push(run);
      },
    );
    job.start();
    await job.run();
    expect(rounds).toHaveLength(2);
    expect(told).toEqual([RUN]);
    fail = true;
    await job.run();
    expect(errors).toEqual(['automatic check-out round failed']);
    await job.stop();
  });
});
