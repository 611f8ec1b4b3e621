import { describe, expect, it } from 'vitest';
import type { TakingsOfDays } from '../takings/reads.js';
import { liveFiguresOf } from './figures.js';

const GROUP_TYPE = 3;

function figures(takings: TakingsOfDays) {
  return liveFiguresOf({
    siteId: 'park',
    siteName: { zh: '公园', en: 'Park' },
    timeZone: 'Asia/Shanghai',
    date: '2026-12-12',
    at: 1,
    version: 1,
    takings,
    groupTypes: new Set([GROUP_TYPE]),
    entries: 40,
    inPark: 25,
    gates: { online: 3, total: 4 },
  });
}

describe('live figures from the takings', () => {
  it('adds sales, supplements and group orders into the sales total by tender and channel; refunds apart', () => {
    const live = figures({
      money: [
        { source: 'sale', channel: 'window', method: 'cash', amountFen: 30_000 },
        { source: 'sale', channel: 'window', method: 'wechat', amountFen: 12_000 },
        { source: 'supplement', channel: 'window', method: 'cash', amountFen: 2_000 },
        // A prepaid agency's order debited, then part of it credited back: net in the sales total.
        { source: 'order', channel: 'agency', method: 'agency_account', amountFen: 50_000 },
        { source: 'order', channel: 'channel_api', method: 'agency_account', amountFen: -5_000 },
        { source: 'refund', channel: 'window', method: 'cash', amountFen: -9_000 },
        { source: 'refund', channel: 'window', method: 'wechat', amountFen: -1_000 },
      ],
      items: [
        { source: 'sale', channel: 'window', typeId: 1, tickets: 4, persons: 4, amountFen: 30_000 },
        { source: 'sale', channel: 'window', typeId: GROUP_TYPE, tickets: 1, persons: 12, amountFen: 12_000 },
        {
          source: 'supplement',
          channel: 'window',
          typeId: GROUP_TYPE,
          tickets: 0,
          persons: 0,
          amountFen: 2_000,
        },
        { source: 'order', channel: 'agency', typeId: 1, tickets: 20, persons: 20, amountFen: 50_000 },
        { source: 'order', channel: 'channel_api', typeId: 1, tickets: 0, persons: -3, amountFen: -5_000 },
        { source: 'refund', channel: 'window', typeId: 1, tickets: -1, persons: -1, amountFen: -10_000 },
      ],
      counts: { sale: 3, refund: 1, supplement: 1, order: 2 },
    });
    expect(live.sales).toEqual({
      totalFen: 89_000,
      byMethod: [
        { method: 'cash', amountFen: 32_000 },
        { method: 'wechat', amountFen: 12_000 },
        { method: 'agency_account', amountFen: 45_000 },
      ],
      byChannel: [
        { channel: 'agency', amountFen: 50_000 },
        { channel: 'channel_api', amountFen: -5_000 },
        { channel: 'window', amountFen: 44_000 },
      ],
    });
    expect(live.refunds).toEqual({ count: 1, tickets: 1, amountFen: 10_000 });
    expect(live.netFen).toBe(79_000);
    // Sales and group pick-ups issue tickets; refunds are counted apart; closing takes unused persons back.
    expect(live.tickets).toEqual({ sold: 25, persons: 33 });
    // Group orders' persons and the group-type tickets sold at the window.
    expect(live.groupPersons).toBe(12 + 20 - 3);
    expect(live).toMatchObject({ entries: 40, inPark: 25, gates: { online: 3, total: 4 } });
  });

  it('answers zeros for a day without takings', () => {
    expect(figures({ money: [], items: [], counts: {} })).toMatchObject({
      sales: { totalFen: 0, byMethod: [], byChannel: [] },
      refunds: { count: 0, tickets: 0, amountFen: 0 },
      netFen: 0,
      tickets: { sold: 0, persons: 0 },
      groupPersons: 0,
    });
  });

  it('counts a refunded group-type ticket out of the group persons', () => {
    const live = figures({
      money: [],
      items: [
        { source: 'sale', channel: 'window', typeId: GROUP_TYPE, tickets: 2, persons: 25, amountFen: 1 },
        { source: 'refund', channel: 'window', typeId: GROUP_TYPE, tickets: -1, persons: -10, amountFen: -1 },
      ],
      counts: {},
    });
    expect(live.groupPersons).toBe(15);
  });
});
