import { describe, expect, it } from 'vitest';
import { agencyAccountTaking, closeTaking, orderChannel, pickUpTaking } from './takings.js';

const time = { at: 1_765_000_000_000, day: 20_430 };
const venueOrder = {
  id: 'o1',
  site_id: 'park',
  agency_id: null,
  channel_key_id: null,
  payment_mode: 'window',
} as const;
const agencyOrder = { ...venueOrder, agency_id: 'a1', payment_mode: 'prepaid' } as const;

describe('what a group order adds to the takings', () => {
  it('names the channel the order came by', () => {
    expect(orderChannel(venueOrder)).toBe('window');
    expect(orderChannel(agencyOrder)).toBe('agency');
    expect(orderChannel({ ...agencyOrder, channel_key_id: 'ck_1' })).toBe('channel_api');
  });

  it('books an agency account movement without a till: a cancellation credits back and charges its fee', () => {
    expect(agencyAccountTaking(agencyOrder, time, [-70_000, 7_000])).toMatchObject({
      source: 'order',
      sourceId: 'o1',
      channel: 'agency',
      agencyId: 'a1',
      windowId: null,
      cashierId: null,
      payments: [
        { method: 'agency_account', amountFen: -70_000 },
        { method: 'agency_account', amountFen: 7_000 },
      ],
      items: [],
    });
    // A free cancellation has no fee: no zero payment is recorded.
    expect(agencyAccountTaking(agencyOrder, time, [-70_000, 0]).payments).toEqual([
      { method: 'agency_account', amountFen: -70_000 },
    ]);
  });

  it('takes the window tenders net of change at pick-up, with the tickets issued per type', () => {
    const taking = pickUpTaking(venueOrder, time, {
      windowId: 'W01',
      cashierId: 'cashier-1',
      tendered: [
        { method: 'bank_card', amountFen: 100_000 },
        { method: 'cash', amountFen: 60_000 },
      ],
      changeFen: 10_000,
      issued: [
        { typeId: 1, persons: 10, priceFen: 100_000 },
        { typeId: 2, persons: 1, priceFen: 25_000 },
        { typeId: 2, persons: 1, priceFen: 25_000 },
      ],
    });
    expect(taking).toMatchObject({ windowId: 'W01', cashierId: 'cashier-1', channel: 'window' });
    expect(taking.payments).toEqual([
      { method: 'bank_card', amountFen: 100_000 },
      { method: 'cash', amountFen: 50_000 },
    ]);
    expect(taking.items).toEqual([
      { typeId: 1, tickets: 1, persons: 10, amountFen: 100_000 },
      { typeId: 2, tickets: 2, persons: 2, amountFen: 50_000 },
    ]);
    // An order paid from the agency's account takes no money at the window: only its tickets count.
    expect(
      pickUpTaking(agencyOrder, time, {
        windowId: 'W01',
        cashierId: 'c',
        tendered: [],
        changeFen: 0,
        issued: [],
      }),
    ).toMatchObject({ payments: [], items: [] });
  });

  it('takes back the unused persons at closing: a ticket nobody used whole, a partly used code by its persons', () => {
    const withdrawn = [
      { typeId: 1, unused: false, unusedPersons: 5, refundFen: 50_000 },
      { typeId: 2, unused: true, unusedPersons: 1, refundFen: 25_000 },
    ];
    const byWindow = closeTaking(venueOrder, time, { cashierId: 'mgr', refundMethod: 'wechat', withdrawn });
    expect(byWindow).toMatchObject({ cashierId: 'mgr', windowId: null });
    expect(byWindow.payments).toEqual([{ method: 'wechat', amountFen: -75_000 }]);
    expect(byWindow.items).toEqual([
      { typeId: 1, tickets: 0, persons: -5, amountFen: -50_000 },
      { typeId: 2, tickets: -1, persons: -1, amountFen: -25_000 },
    ]);
    const byAccount = closeTaking(agencyOrder, time, { cashierId: 'mgr', refundMethod: 'cash', withdrawn });
    expect(byAccount).toMatchObject({
      cashierId: null,
      payments: [{ method: 'agency_account', amountFen: -75_000 }],
    });
    // Nobody to take back (everyone went in): nothing at all, so no taking is written.
    expect(
      closeTaking(agencyOrder, time, { cashierId: 'mgr', refundMethod: 'cash', withdrawn: [] }),
    ).toMatchObject({
      payments: [],
      items: [],
    });
  });
});
