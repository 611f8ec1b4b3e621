import { describe, expect, it } from 'vitest';
import { instantOf } from '../capacity/local-time.js';
import type { RefundPolicy } from '../ticket-types/schemas.js';
import {
  type RefundableTicket,
  refundableByMethod,
  refundPayments,
  splitRefundPayments,
  sumByMethod,
  supplementShare,
  ticketRefund,
} from './policy.js';

const ZONE = 'Asia/Shanghai';
const VISIT_DAY = 20_600;
const NOON_BEFORE = instantOf(VISIT_DAY - 1, 720, ZONE);
const POLICY: RefundPolicy = {
  refundable: true,
  deadline: { dayOffset: 0, minuteOfDay: 1440 },
  fee: { kind: 'fixed', fen: 0 },
  proRata: false,
};
const TICKET: RefundableTicket = {
  ticketId: 7,
  status: 'active',
  priceFen: 10_000,
  entriesTotal: 1,
  entriesUsed: 0,
  visitDay: VISIT_DAY,
  validTo: instantOf(VISIT_DAY + 1, 0, ZONE),
};
const codeOf = (run: () => unknown) => {
  try {
    run();
  } catch (error) {
    return (error as { code: string }).code;
  }
  return 'none';
};

describe('ticket refund amount', () => {
  it('refunds the price less a fixed or per-mille fee, never below zero', () => {
    expect(ticketRefund(TICKET, POLICY, NOON_BEFORE, ZONE)).toEqual({
      grossFen: 10_000,
      feeFen: 0,
      amountFen: 10_000,
    });
    const fixed = { ...POLICY, fee: { kind: 'fixed' as const, fen: 500 } };
    expect(ticketRefund(TICKET, fixed, NOON_BEFORE, ZONE).amountFen).toBe(9_500);
    const permille = { ...POLICY, fee: { kind: 'permille' as const, permille: 105 } };
    expect(ticketRefund({ ...TICKET, priceFen: 999 }, permille, NOON_BEFORE, ZONE)).toEqual({
      grossFen: 999,
      feeFen: 104,
      amountFen: 895,
    });
    const huge = { ...POLICY, fee: { kind: 'fixed' as const, fen: 50_000 } };
    expect(ticketRefund(TICKET, huge, NOON_BEFORE, ZONE).amountFen).toBe(0);
  });

  it('refunds the unused share of a count card pro rata, rounded down', () => {
    const card = { ...TICKET, priceFen: 50_001, entriesTotal: 10, entriesUsed: 3 };
    const policy = { ...POLICY, proRata: true, deadline: null };
    expect(ticketRefund(card, policy, NOON_BEFORE, ZONE).grossFen).toBe(35_000);
    expect(codeOf(() => ticketRefund(card, { ...policy, proRata: false }, NOON_BEFORE, ZONE))).toBe(
      'TICKET_USED',
    );
  });

  it('gives a stable code for each reason a ticket cannot be refunded', () => {
    const at = (ticket: Partial<RefundableTicket>, policy: Partial<RefundPolicy> = {}, now = NOON_BEFORE) =>
      codeOf(() => ticketRefund({ ...TICKET, ...ticket }, { ...POLICY, ...policy }, now, ZONE));
    expect(at({ status: 'refunded' })).toBe('TICKET_ALREADY_REFUNDED');
    expect(at({ status: 'used' })).toBe('TICKET_USED');
    expect(at({ status: 'revoked' })).toBe('TICKET_STATE_CONFLICT');
    expect(at({}, {}, TICKET.validTo)).toBe('TICKET_EXPIRED');
    expect(at({}, { refundable: false })).toBe('REFUND_NOT_ALLOWED');
    // The deadline is a venue-local wall time relative to the visit date: 12:00 the day before.
    const deadline = { deadline: { dayOffset: -1, minuteOfDay: 720 } };
    expect(at({}, deadline, NOON_BEFORE - 1)).toBe('none');
    expect(at({}, deadline, NOON_BEFORE)).toBe('REFUND_DEADLINE_PASSED');
  });
});

describe('refund payments', () => {
  const paid = [
    { method: 'cash' as const, amountFen: 20_000 },
    { method: 'wechat' as const, amountFen: 5_000 },
    { method: 'alipay' as const, amountFen: 3_000 },
  ];

  it('goes back by the original methods in order, cash last, net of change and earlier refunds', () => {
    const left = refundableByMethod(paid, 2_000, [{ method: 'wechat', amountFen: 1_000 }]);
    expect(Object.fromEntries(left)).toEqual({ cash: 18_000, wechat: 4_000, alipay: 3_000 });
    expect(refundPayments(9_000, left, undefined)).toEqual([
      { method: 'wechat', amountFen: 4_000 },
      { method: 'alipay', amountFen: 3_000 },
      { method: 'cash', amountFen: 2_000 },
    ]);
    expect(refundPayments(0, left, undefined)).toEqual([]);
    expect(codeOf(() => refundPayments(30_000, left, undefined))).toBe('REFUND_PAYMENT_MISMATCH');
  });

  it('takes the cashier’s choice within what each method may return', () => {
    const left = refundableByMethod(paid, 0, []);
    expect(refundPayments(6_000, left, [{ method: 'cash', amountFen: 6_000 }])).toEqual([
      { method: 'cash', amountFen: 6_000 },
    ]);
    expect(codeOf(() => refundPayments(6_000, left, [{ method: 'wechat', amountFen: 6_000 }]))).toBe(
      'REFUND_PAYMENT_MISMATCH',
    );
    expect(codeOf(() => refundPayments(6_000, left, [{ method: 'bank_card', amountFen: 6_000 }]))).toBe(
      'REFUND_PAYMENT_MISMATCH',
    );
    expect(codeOf(() => refundPayments(6_000, left, [{ method: 'cash', amountFen: 5_000 }]))).toBe(
      'REFUND_PAYMENT_MISMATCH',
    );
  });
});

describe('refund of upgraded tickets', () => {
  it('shares the refund between sale and upgrade money in proportion, never more than the upgrade took', () => {
    // Sold at 100, upgraded to 500: the refund is 1/5 sale money, 4/5 upgrade money.
    expect(supplementShare(50_000, 50_000, 40_000)).toBe(40_000);
    // Pro rata 7/10 of it: the sale's part rounds down, so the upgrade's rounds up but stays within what it took.
    expect(supplementShare(35_000, 50_000, 40_000)).toBe(28_000);
    expect(supplementShare(3, 3, 1)).toBe(1);
    expect(supplementShare(10_000, 10_000, 0)).toBe(0);
    expect(supplementShare(0, 0, 0)).toBe(0);
    for (let amount = 0; amount <= 997; amount++)
      expect(supplementShare(amount, 997, 331)).toBeLessThanOrEqual(331);
  });

  it('returns each share by its own pool’s methods and books the cashier’s choice against both pools', () => {
    const sale = new Map([
      ['wechat', 5_000],
      ['cash', 15_000],
    ] as const);
    const upgrades = sumByMethod([
      { method: 'alipay', amountFen: 30_000 },
      { method: 'cash', amountFen: 12_000 },
      { method: 'cash', amountFen: -2_000 },
    ]);
    expect(upgrades).toEqual(
      new Map([
        ['alipay', 30_000],
        ['cash', 10_000],
      ]),
    );
    expect(splitRefundPayments(50_000, 40_000, sale, upgrades, undefined)).toEqual([
      { method: 'alipay', amountFen: 30_000, supplementFen: 30_000 },
      { method: 'cash', amountFen: 15_000, supplementFen: 10_000 },
      { method: 'wechat', amountFen: 5_000, supplementFen: 0 },
    ]);
    expect(
      splitRefundPayments(50_000, 40_000, sale, upgrades, [
        { method: 'cash', amountFen: 25_000 },
        { method: 'alipay', amountFen: 25_000 },
      ]),
    ).toEqual([
      { method: 'cash', amountFen: 25_000, supplementFen: 10_000 },
      { method: 'alipay', amountFen: 25_000, supplementFen: 25_000 },
    ]);
    // Cash may give back what the sale and the upgrade took by cash together (25,000), no more.
    expect(
      codeOf(() =>
        splitRefundPayments(50_000, 40_000, sale, upgrades, [
          { method: 'cash', amountFen: 25_001 },
          { method: 'alipay', amountFen: 24_999 },
        ]),
      ),
    ).toBe('REFUND_PAYMENT_MISMATCH');
    // Nothing was upgraded: exactly the sale's default.
    expect(splitRefundPayments(10_000, 0, sale, new Map(), undefined)).toEqual([
      { method: 'wechat', amountFen: 5_000, supplementFen: 0 },
      { method: 'cash', amountFen: 5_000, supplementFen: 0 },
    ]);
  });
});
