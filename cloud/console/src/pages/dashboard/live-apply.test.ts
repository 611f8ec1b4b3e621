import { describe, expect, it } from 'vitest';
import type { LiveFigures } from '../../api/types';
import { applyLiveStatus } from './live-apply';

function figures(siteId: string, version: number, totalFen: number): LiveFigures {
  return {
    siteId,
    siteName: { zh: siteId, en: siteId },
    timeZone: 'Asia/Shanghai',
    date: '2026-12-12',
    at: version,
    version,
    sales: { totalFen, byMethod: [{ method: 'cash', amountFen: totalFen }], byChannel: [] },
    refunds: { count: 0, tickets: 0, amountFen: 0 },
    netFen: totalFen,
    tickets: { sold: 1, persons: 1 },
    groupPersons: 0,
    entries: 0,
    inPark: 0,
    gates: { online: 1, total: 2 },
  };
}

describe('the live figures as the stream changes them', () => {
  it('a snapshot replaces; a newer reading of a site replaces that site; an older one is dropped', () => {
    const start = applyLiveStatus(undefined, [
      { event: 'snapshot', data: { items: [figures('lake', 3, 100), figures('park', 4, 200)] } },
    ]);
    expect(start?.items.map((f) => f.sales.totalFen)).toEqual([100, 200]);
    const next = applyLiveStatus(start, [
      { event: 'figures', data: figures('park', 6, 300) },
      { event: 'figures', data: figures('park', 5, 250) },
      { event: 'heartbeat', data: { at: 7 } },
    ]);
    expect(next?.items.map((f) => [f.siteId, f.sales.totalFen])).toEqual([
      ['lake', 100],
      ['park', 300],
    ]);
    // The same reading again, or only a heartbeat, leaves the cached value as it was (no render).
    expect(applyLiveStatus(next, [{ event: 'figures', data: figures('park', 6, 300) }])).toBe(next);
    expect(applyLiveStatus(next, [{ event: 'heartbeat', data: { at: 8 } }])).toBe(next);
  });

  it('adds a site that first appears in a reading, in site order', () => {
    const one = applyLiveStatus({ items: [figures('park', 1, 0)] }, [
      { event: 'figures', data: figures('lake', 2, 50) },
    ]);
    expect(one?.items.map((f) => f.siteId)).toEqual(['lake', 'park']);
  });
});
