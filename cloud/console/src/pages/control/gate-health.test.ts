import { describe, expect, it } from 'vitest';
import type { GateStatus } from '../../api/types';
import { elapsed, livenessOf, modeIsCurrent, whitelistBehind } from './gate-health';

const NOW = 1_800_000_000_000;

function status(patch: Partial<GateStatus> = {}): GateStatus {
  return {
    gateId: 'N1',
    siteId: 'park',
    online: true,
    mode: 'always_closed',
    denyUnauthorized: true,
    firmware: '1.0.0',
    whitelistVersion: 7,
    configVersion: 2,
    since: NOW - 600_000,
    lastSeenAt: NOW - 1_000,
    lastStateAt: NOW - 600_000,
    lastHeartbeatAt: NOW - 1_000,
    uptimeSec: 600,
    counters: { scans: 3, admits: 2, denies: 1 },
    outboxDepth: 0,
    degraded: [],
    floodedUntil: null,
    heartbeatSec: 30,
    ...patch,
  };
}

describe('gate liveness', () => {
  it('is online until three heartbeats were missed, then stale; offline when the gate (or its will) said so', () => {
    expect(livenessOf(status(), NOW)).toBe('online');
    expect(livenessOf(status({ lastSeenAt: NOW - 90_000 }), NOW)).toBe('online');
    expect(livenessOf(status({ lastSeenAt: NOW - 90_001 }), NOW)).toBe('stale');
    // A gate told to beat every 10 s is stale after 30 s.
    expect(livenessOf(status({ lastSeenAt: NOW - 31_000, heartbeatSec: 10 }), NOW)).toBe('stale');
    expect(livenessOf(status({ online: false }), NOW)).toBe('offline');
    expect(livenessOf(undefined, NOW)).toBe('unknown');
  });

  it('shows the reported mode as current only for a gate that is talking', () => {
    expect(modeIsCurrent('online')).toBe(true);
    for (const liveness of ['stale', 'offline', 'unknown'] as const)
      expect(modeIsCurrent(liveness)).toBe(false);
  });

  it('counts whitelist versions behind the site’s head, unknown without a report', () => {
    expect(whitelistBehind(12, 7)).toBe(5);
    expect(whitelistBehind(7, 9)).toBe(0);
    expect(whitelistBehind(undefined, 7)).toBeNull();
    expect(whitelistBehind(12, null)).toBeNull();
  });

  it('reads durations in one unit', () => {
    expect(elapsed(-5)).toEqual({ unit: 'now', count: 0 });
    expect(elapsed(4_999)).toEqual({ unit: 'now', count: 0 });
    expect(elapsed(42_000)).toEqual({ unit: 'seconds', count: 42 });
    expect(elapsed(3 * 60_000 + 59_000)).toEqual({ unit: 'minutes', count: 3 });
    expect(elapsed(5 * 3_600_000)).toEqual({ unit: 'hours', count: 5 });
    expect(elapsed(50 * 3_600_000)).toEqual({ unit: 'days', count: 2 });
  });
});
