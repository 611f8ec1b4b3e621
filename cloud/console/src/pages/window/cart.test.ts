import { describe, expect, it } from 'vitest';
import type { TicketType } from '../../api/types';
import {
  addDays,
  addStub,
  barcodeDigits,
  capacityCheck,
  cardsOfLines,
  EMPTY_CART,
  eraseDigit,
  holdersOf,
  linePrice,
  linesOf,
  personCount,
  removeStub,
  saleFingerprint,
  saleLinesOf,
  sellableOn,
  setCard,
  setHolder,
  setPersons,
  setQuantity,
  stepQuantity,
  ticketCount,
  typeDigit,
  windowTypes,
} from './cart';

function type(typeId: number, overrides: Partial<TicketType> = {}): TicketType {
  return {
    typeId,
    siteId: 'park',
    code: `T${typeId}`,
    name: { zh: `票${typeId}`, en: `Ticket ${typeId}` },
    kind: 'single',
    validity: { from: 'visit_date', length: { unit: 'day', count: 1 } },
    entries: 1,
    persons: { min: 1, max: 1 },
    prices: { window: 10_000 },
    rules: {
      weekdays: 0x7f,
      hours: [],
      entriesPerDay: null,
      antiPassbackSec: 0,
      strictAlternation: false,
      zones: [],
      gates: [],
      slotEarlyMin: 0,
      slotLateMin: 0,
      exitFree: true,
    },
    refund: { refundable: true, deadline: null, fee: { kind: 'fixed', fen: 0 }, proRata: false },
    realName: 'none',
    perIdDailyLimit: null,
    ageDiscounts: { source: 'site' },
    version: 1,
    createdAt: 0,
    active: true,
    updatedAt: 0,
    ...overrides,
  } as TicketType;
}

const ADULT = type(101);
const REAL = type(102, { realName: 'per_ticket', prices: { window: 8_000 } });
const GROUP = type(103, { kind: 'group', persons: { min: 10, max: 50 }, prices: { window: 5_000 } });
const TYPES = [ADULT, REAL, GROUP];

describe('quantities typed like a till', () => {
  it('builds a number from digits typed in a run and starts afresh after a pause', () => {
    let cart = typeDigit(EMPTY_CART, 101, 1, 0);
    cart = typeDigit(cart, 101, 2, 300);
    expect(cart.quantities[101]).toBe(12);
    cart = typeDigit(cart, 101, 3, 5_000);
    expect(cart.quantities[101]).toBe(3);
  });

  it('starts afresh on another row, erases the last digit, and caps a line at 200', () => {
    let cart = typeDigit(EMPTY_CART, 101, 4, 0);
    cart = typeDigit(cart, 102, 5, 100);
    expect(cart.quantities).toEqual({ 101: 4, 102: 5 });
    cart = typeDigit(typeDigit(typeDigit(cart, 101, 9, 0), 101, 9, 10), 101, 9, 20);
    expect(cart.quantities[101]).toBe(200);
    cart = eraseDigit(cart, 101, 30);
    expect(cart.quantities[101]).toBe(99);
    cart = eraseDigit(eraseDigit(cart, 101, 40), 101, 50);
    expect(cart.quantities[101]).toBe(0);
  });

  it('steps with + and − without going below zero', () => {
    let cart = stepQuantity(EMPTY_CART, 101, 1);
    cart = stepQuantity(stepQuantity(cart, 101, 1), 101, -1);
    expect(cart.quantities[101]).toBe(1);
    expect(stepQuantity(stepQuantity(cart, 101, -1), 101, -1).quantities[101]).toBe(0);
  });
});

describe('cart lines', () => {
  it('makes request lines with holders for real-name types, persons for groups and stubs on their own line', () => {
    let cart = setQuantity(EMPTY_CART, 101, 2);
    cart = setQuantity(cart, 102, 1);
    cart = setHolder(cart, 't102', 0, { name: ' 张三 ', idNumber: '11010519491231002x' });
    cart = setPersons(setQuantity(cart, 103, 1), 103, 12);
    cart = addStub(cart, { code: '123456789012', typeId: 101 }).cart;
    const lines = linesOf(cart, TYPES);
    expect(lines.map((line) => [line.key, line.quantity])).toEqual([
      ['t101', 2],
      ['s101', 1],
      ['t102', 1],
      ['t103', 1],
    ]);
    expect(ticketCount(lines)).toBe(5);
    expect(personCount(lines)).toBe(2 + 1 + 1 + 12);
    expect(saleLinesOf(cart, lines, { visitDate: '2026-12-07', slotId: 'slot-1' })).toEqual([
      { typeId: 101, quantity: 2, visitDate: '2026-12-07', slotId: 'slot-1' },
      { typeId: 101, quantity: 1, visitDate: '2026-12-07', slotId: 'slot-1', barcodes: ['123456789012'] },
      {
        typeId: 102,
        quantity: 1,
        visitDate: '2026-12-07',
        slotId: 'slot-1',
        holders: [{ name: '张三', idNumber: '11010519491231002X' }],
      },
      { typeId: 103, quantity: 1, visitDate: '2026-12-07', slotId: 'slot-1', persons: 12 },
    ]);
  });

  it('keeps one holder per ticket, forgetting those beyond a lowered quantity', () => {
    let cart = setQuantity(EMPTY_CART, 102, 2);
    cart = setHolder(setHolder(cart, 't102', 0, { name: 'A' }), 't102', 1, { name: 'B' });
    cart = setQuantity(cart, 102, 1);
    cart = setQuantity(cart, 102, 2);
    const [line] = linesOf(cart, TYPES);
    expect(holdersOf(cart, line!).map((h) => h.name)).toEqual(['A', '']);
  });

  it('refuses a stub scanned twice and removes one with its holder', () => {
    let cart = addStub(EMPTY_CART, { code: '111', typeId: 102 }).cart;
    cart = addStub(cart, { code: '222', typeId: 102 }).cart;
    expect(addStub(cart, { code: '111', typeId: 102 }).added).toBe(false);
    cart = setHolder(setHolder(cart, 's102', 0, { name: 'first' }), 's102', 1, { name: 'second' });
    cart = removeStub(cart, '111');
    expect(cart.stubs).toEqual([{ code: '222', typeId: 102 }]);
    expect(cart.holders.s102).toEqual([{ name: 'second', idNumber: '' }]);
  });

  it('fingerprints the sale: equal carts alike, any change of a line different', () => {
    const cart = setQuantity(EMPTY_CART, 101, 2);
    const lines = (c: typeof cart) =>
      saleLinesOf(c, linesOf(c, TYPES), { visitDate: '2026-12-07', slotId: null });
    const a = saleFingerprint('park', 'W01', lines(cart));
    expect(saleFingerprint('park', 'W01', lines(setQuantity(EMPTY_CART, 101, 2)))).toBe(a);
    expect(saleFingerprint('park', 'W01', lines(stepQuantity(cart, 101, 1)))).not.toBe(a);
    expect(saleFingerprint('park', 'W02', lines(cart))).not.toBe(a);
    // The customer is part of the sale too.
    expect(saleFingerprint('park', 'W01', lines(cart), 'c-1')).not.toBe(a);
    expect(saleFingerprint('park', 'W01', lines(setCard(cart, 't101', 0, '04A22B1C')))).toBe(a);
  });
});

describe('selling onto IC cards', () => {
  const COUNT = type(104, { kind: 'count', prices: { window: 30_000 } });
  const YEAR = type(105, { kind: 'year_pass', prices: { window: 50_000 } });
  const CARD_TYPES = [ADULT, COUNT, YEAR];
  const visit = { visitDate: '2026-12-07', slotId: null };

  it('asks for cards only on the kinds that take one', () => {
    const cart = setQuantity(setQuantity(EMPTY_CART, 101, 1), 104, 2);
    expect(linesOf(cart, CARD_TYPES).map((line) => line.takesCards)).toEqual([false, true]);
  });

  it('sends one normalised UID per ticket, or none at all', () => {
    let cart = setQuantity(EMPTY_CART, 104, 2);
    let lines = linesOf(cart, CARD_TYPES);
    expect(cardsOfLines(cart, lines)).toEqual([{ state: 'none' }]);
    expect(saleLinesOf(cart, lines, visit)[0]).not.toHaveProperty('cardUids');
    cart = setCard(cart, 't104', 0, '04:a2:2b:1c');
    expect(cardsOfLines(cart, lines)).toEqual([{ state: 'partial', missing: 1 }]);
    expect(saleLinesOf(cart, lines, visit)[0]).not.toHaveProperty('cardUids');
    cart = setCard(cart, 't104', 1, '04a22b1c5d8000');
    expect(saleLinesOf(cart, lines, visit)[0]?.cardUids).toEqual(['04A22B1C', '04A22B1C5D8000']);
    // Fewer tickets forget the cards beyond them.
    cart = setQuantity(cart, 104, 1);
    lines = linesOf(cart, CARD_TYPES);
    expect(saleLinesOf(cart, lines, visit)[0]?.cardUids).toEqual(['04A22B1C']);
  });

  it('names a bad read and a card given twice in one sale', () => {
    let cart = setQuantity(setQuantity(EMPTY_CART, 104, 1), 105, 1);
    cart = setCard(cart, 't104', 0, '04A22B1C');
    cart = setCard(cart, 't105', 0, '0000 0000');
    const lines = linesOf(cart, CARD_TYPES);
    expect(cardsOfLines(cart, lines)[1]).toEqual({ state: 'invalid', index: 0, reason: 'uid' });
    cart = setCard(cart, 't105', 0, '04a22b1c');
    expect(cardsOfLines(cart, lines)[1]).toEqual({ state: 'invalid', index: 0, reason: 'twice' });
  });
});

describe('prices', () => {
  it('prices plain lines from the window price and real-name lines from each holder’s quote', () => {
    const cart = setQuantity(
      setQuantity(setPersons(setQuantity(EMPTY_CART, 103, 2), 103, 10), 101, 3),
      102,
      2,
    );
    const [adult, real, group] = linesOf(cart, TYPES);
    expect(linePrice(adult!)).toEqual({ listFen: 30_000, discountFen: 0, amountFen: 30_000, pending: false });
    expect(linePrice(group!)).toMatchObject({ listFen: 100_000, amountFen: 100_000 });
    expect(linePrice(real!, [4_000, undefined])).toEqual({
      listFen: 16_000,
      discountFen: 4_000,
      amountFen: 12_000,
      pending: true,
    });
    expect(linePrice(real!, [4_000, 0])).toMatchObject({
      amountFen: 4_000,
      discountFen: 12_000,
      pending: false,
    });
  });
});

describe('types at the window', () => {
  it('offers active types with a window price, and knows the days each may be used', () => {
    const online = type(104, { prices: { online: 100 } });
    const inactive = type(105, { active: false });
    expect(windowTypes([GROUP, online, ADULT, inactive]).map((t) => t.typeId)).toEqual([101, 103]);
    const weekends = type(106, { rules: { ...ADULT.rules, weekdays: 0b1100000 } });
    expect(sellableOn(weekends, '2026-12-05')).toBe(true); // Saturday
    expect(sellableOn(weekends, '2026-12-07')).toBe(false); // Monday
  });
});

describe('barcodeDigits', () => {
  it('reads a stub code as the stock stores it', () => {
    expect(barcodeDigits('1234-5678 9012')).toBe('123456789012');
    expect(barcodeDigits('１２３４５６７８')).toBe('12345678');
    expect(barcodeDigits('1234567')).toBeNull();
    expect(barcodeDigits('HC1:ABC')).toBeNull();
  });
});

describe('visit date and capacity', () => {
  it('moves dates by calendar days', () => {
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2028-03-01', -1)).toBe('2028-02-29');
  });

  it('checks persons against the day and the chosen slot, and asks for a slot where the date has them', () => {
    const availability = {
      daily: { remaining: 10 },
      slots: [
        { id: 'a', remaining: 3 },
        { id: 'b', remaining: 0 },
      ],
    };
    expect(capacityCheck(availability, null, 2)).toMatchObject({
      needsSlot: true,
      dayLeft: 10,
      slotLeft: null,
    });
    expect(capacityCheck(availability, 'a', 3)).toMatchObject({ needsSlot: false, slotLeft: 3, fits: true });
    expect(capacityCheck(availability, 'a', 4).fits).toBe(false);
    expect(capacityCheck(availability, 'b', 1).fits).toBe(false);
    expect(capacityCheck({ daily: { remaining: null }, slots: [] }, null, 500)).toEqual({
      dayLeft: null,
      slotLeft: null,
      needsSlot: false,
      fits: true,
    });
  });
});
