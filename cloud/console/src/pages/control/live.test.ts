import { describe, expect, it } from 'vitest';
import type { GateStatus, OccupancyFigure, PassageItem, SiteOccupancy } from '../../api/types';
import {
  applyGateStatus,
  applyOccupancy,
  applyOccupancyAlerts,
  applyPassages,
  LIVE_FEED_LIMIT,
  risenLevels,
} from './live';

function status(gateId: string, siteId: string, mode: string): GateStatus {
  return {
    gateId,
    siteId,
    online: true,
    mode,
    denyUnauthorized: true,
    firmware: '1.0.0',
    whitelistVersion: 1,
    configVersion: 1,
    since: 1,
    lastSeenAt: 1,
    lastStateAt: 1,
    lastHeartbeatAt: null,
    uptimeSec: null,
    counters: null,
    outboxDepth: null,
    degraded: [],
    floodedUntil: null,
    heartbeatSec: 30,
  };
}

function figure(zoneId: string | null, day: string, inside: number, level = 0): OccupancyFigure {
  return {
    siteId: 'park',
    zoneId,
    day,
    entries: inside,
    exits: 0,
    inside,
    clamped: 0,
    capacity: 100,
    percent: inside,
    level,
    updatedAt: 1,
  };
}

function site(day: string, siteInside: number, north: number, level = 0): SiteOccupancy {
  return {
    siteId: 'park',
    day,
    site: figure(null, day, siteInside, level),
    zones: [figure('north', day, north)],
  };
}

function passage(eventId: string): PassageItem {
  return {
    eventId,
    kind: 'passage',
    siteId: 'park',
    zoneId: 'north',
    gateId: 'N1',
    ticketId: 1,
    credentialKind: 'qr',
    direction: 'in',
    persons: 1,
    at: 1,
    receivedAt: 1,
    decidedOffline: false,
    entriesLeft: 0,
    unconfirmed: false,
    reason: null,
    conflict: null,
    overdraft: 0,
  };
}

describe('gate status from the stream', () => {
  it('takes the snapshot, then each change of one gate, sorted by site and gate', () => {
    const first = applyGateStatus(undefined, [
      {
        event: 'snapshot',
        data: { items: [status('N2', 'park', 'normal'), status('A1', 'lake', 'normal')] },
      },
      { event: 'status', data: status('N1', 'park', 'normal') },
    ]);
    expect(first?.items.map((s) => s.gateId)).toEqual(['A1', 'N1', 'N2']);
    const next = applyGateStatus(first, [
      { event: 'status', data: status('N2', 'park', 'emergency_open') },
      { event: 'status', data: status('N1', 'park', 'emergency_open') },
    ]);
    expect(next?.items.map((s) => `${s.gateId}:${s.mode}`)).toEqual([
      'A1:normal',
      'N1:emergency_open',
      'N2:emergency_open',
    ]);
    // A later snapshot (after a reconnect) replaces everything.
    expect(applyGateStatus(next, [{ event: 'snapshot', data: { items: [] } }])).toEqual({ items: [] });
    expect(applyGateStatus(next, [])).toBe(next);
  });
});

describe('occupancy from the stream', () => {
  it('moves the site and zone figures of the current day, ignores an earlier day, starts a new day at zero', () => {
    const start = applyOccupancy(undefined, [
      { event: 'snapshot', data: { items: [site('2026-12-07', 5, 5)] } },
    ]);
    const moved = applyOccupancy(start, [
      { event: 'figure', data: figure(null, '2026-12-07', 6) },
      { event: 'figure', data: figure('north', '2026-12-07', 6) },
      { event: 'figure', data: figure('north', '2026-12-06', 99) },
    ]);
    expect(moved?.items[0]?.site.inside).toBe(6);
    expect(moved?.items[0]?.zones.map((z) => z.inside)).toEqual([6]);
    const nextDay = applyOccupancy(moved, [{ event: 'figure', data: figure(null, '2026-12-08', 1) }]);
    expect(nextDay?.items[0]).toMatchObject({ day: '2026-12-08', site: { inside: 1 } });
    expect(nextDay?.items[0]?.zones[0]).toMatchObject({ day: '2026-12-08', inside: 0, level: 0, percent: 0 });
    // A zone first seen in a figure is added.
    const south = applyOccupancy(nextDay, [{ event: 'figure', data: figure('south', '2026-12-08', 2) }]);
    expect(south?.items[0]?.zones.map((z) => z.zoneId)).toEqual(['north', 'south']);
  });

  it('keeps the newest alerts first', () => {
    const alert = (id: number) => ({
      id,
      siteId: 'park',
      zoneId: null,
      day: '2026-12-07',
      fromLevel: 0,
      toLevel: 80,
      inside: 80,
      capacity: 100,
      at: id,
    });
    const first = applyOccupancyAlerts(undefined, [
      { event: 'alert', data: alert(1) },
      { event: 'figure', data: figure(null, '2026-12-07', 80) },
      { event: 'alert', data: alert(2) },
    ]);
    expect(first?.map((a) => a.id)).toEqual([2, 1]);
    // The same alert relayed twice (two tabs led the stream for a moment) is kept once.
    const again = applyOccupancyAlerts(first, [
      { event: 'alert', data: alert(2) },
      { event: 'alert', data: alert(3) },
      { event: 'alert', data: alert(3) },
    ]);
    expect(again?.map((a) => a.id)).toEqual([3, 2, 1]);
    expect(applyOccupancyAlerts(first, [{ event: 'figure', data: {} }])).toBe(first);
  });

  it('reports a level that went up, but not one first seen or one that went down', () => {
    const seen = risenLevels(undefined, [site('2026-12-07', 85, 0, 80)]);
    expect(seen.risen).toEqual([]);
    const up = risenLevels(seen.levels, [site('2026-12-07', 91, 0, 90)]);
    expect(up.risen.map((f) => [f.zoneId, f.level])).toEqual([[null, 90]]);
    expect(risenLevels(up.levels, [site('2026-12-07', 70, 0, 0)]).risen).toEqual([]);
  });
});

describe('the live passage feed', () => {
  it('puts new events on top once each, keeping at most the newest LIVE_FEED_LIMIT', () => {
    const start = applyPassages(undefined, [
      { event: 'snapshot', data: { items: [passage('a')], next: 'c1' } },
    ]);
    const next = applyPassages(start, [
      { event: 'passage', data: passage('b') },
      { event: 'denial', data: { ...passage('c'), kind: 'denial', reason: 'USED' } },
      { event: 'passage', data: passage('b') },
    ]);
    expect(next?.items.map((p) => p.eventId)).toEqual(['c', 'b', 'a']);
    expect(next?.next).toBe('c1');
    let feed = next;
    for (let i = 0; i < LIVE_FEED_LIMIT + 10; i++)
      feed = applyPassages(feed, [{ event: 'passage', data: passage(`p${i}`) }]);
    expect(feed?.items).toHaveLength(LIVE_FEED_LIMIT);
    expect(feed?.items[0]?.eventId).toBe(`p${LIVE_FEED_LIMIT + 9}`);
  });
});
