import { describe, expect, it } from 'vitest';
import {
  automaticCashFen,
  focusMethod,
  settle,
  shownText,
  type Tenders,
  typeAmount,
  UNTOUCHED,
} from './tenders';

const TOTAL = 25_000;

describe('split payments', () => {
  it('settles an untouched sale as exact cash', () => {
    const settlement = settle(UNTOUCHED, TOTAL);
    expect(settlement.payments).toEqual([{ method: 'cash', amountFen: 25_000 }]);
    expect(settlement).toMatchObject({ paidFen: 25_000, changeFen: 0, dueFen: 0, problem: null });
    expect(shownText(UNTOUCHED, 'cash', TOTAL)).toBe('250.00');
  });

  it('gives change from cash tendered', () => {
    const settlement = settle(typeAmount(UNTOUCHED, 'cash', '300'), TOTAL);
    expect(settlement).toMatchObject({ paidFen: 30_000, changeFen: 5_000, problem: null });
  });

  it('fills a method with what is left and keeps automatic cash for the rest', () => {
    let tenders: Tenders = focusMethod(UNTOUCHED, 'wechat', TOTAL);
    expect(tenders.wechat).toBe('250.00');
    tenders = typeAmount(tenders, 'wechat', '100');
    expect(automaticCashFen(tenders, TOTAL)).toBe(15_000);
    expect(settle(tenders, TOTAL).payments).toEqual([
      { method: 'cash', amountFen: 15_000 },
      { method: 'wechat', amountFen: 10_000 },
    ]);
    // The visitor hands over 200 for the 150 left: 50 change.
    tenders = typeAmount(tenders, 'cash', '200');
    expect(settle(tenders, TOTAL)).toMatchObject({ paidFen: 30_000, changeFen: 5_000, problem: null });
    // Card for whatever cash and WeChat leave: nothing.
    expect(focusMethod(tenders, 'bank_card', TOTAL).bank_card).toBe('0.00');
  });

  it('counts typed cash when filling another method', () => {
    const tenders = focusMethod(typeAmount(UNTOUCHED, 'cash', '200.5'), 'alipay', TOTAL);
    expect(tenders.alipay).toBe('49.50');
    expect(settle(tenders, TOTAL)).toMatchObject({ paidFen: 25_000, changeFen: 0, problem: null });
  });

  it('reads amounts exactly in fen', () => {
    const settlement = settle(typeAmount(typeAmount(UNTOUCHED, 'wechat', '0.29'), 'cash', '249.71'), TOTAL);
    expect(settlement.amounts).toMatchObject({ wechat: 29, cash: 24_971 });
    expect(settlement.problem).toBeNull();
  });

  it('names what stops the sale: not an amount, too large, not enough, change without cash', () => {
    expect(settle(typeAmount(UNTOUCHED, 'cash', '12.345'), TOTAL)).toMatchObject({
      problem: 'invalid_amount',
      wrong: ['cash'],
    });
    expect(settle(typeAmount(UNTOUCHED, 'cash', '1000001'), TOTAL)).toMatchObject({
      problem: 'too_large',
      wrong: ['cash'],
    });
    expect(settle(typeAmount(UNTOUCHED, 'cash', '100'), TOTAL)).toMatchObject({
      problem: 'short',
      dueFen: 15_000,
    });
    const cardTooMuch = typeAmount(typeAmount(UNTOUCHED, 'cash', '0'), 'bank_card', '300');
    expect(settle(cardTooMuch, TOTAL)).toMatchObject({ problem: 'change_without_cash', changeFen: 5_000 });
    // Cash 40 with card 250: the change of 40 would be all the cash taken, so the card paid too much.
    const mixed = typeAmount(typeAmount(UNTOUCHED, 'cash', '40'), 'bank_card', '250');
    expect(settle(mixed, TOTAL).problem).toBe('change_without_cash');
  });

  it('sends no payment for a free sale', () => {
    expect(settle(UNTOUCHED, 0)).toMatchObject({ payments: [], paidFen: 0, problem: null });
  });

  it('takes the customer’s points as a tender by the site rate, the rest in automatic cash', () => {
    const offer = { rate: 10, balance: 300 };
    // F10 fills what the points can pay: 300 points make ¥30.
    let tenders = focusMethod(UNTOUCHED, 'points', TOTAL, offer);
    expect(tenders.points).toBe('30.00');
    expect(automaticCashFen(tenders, TOTAL)).toBe(22_000);
    expect(settle(tenders, TOTAL, offer)).toMatchObject({
      payments: [
        { method: 'cash', amountFen: 22_000 },
        { method: 'points', amountFen: 3_000 },
      ],
      problem: null,
    });
    // More than the balance, or an amount no whole number of points pays.
    tenders = typeAmount(tenders, 'points', '30.10');
    expect(settle(tenders, TOTAL, offer).problem).toBe('points_balance');
    tenders = typeAmount(tenders, 'points', '20.05');
    expect(settle(tenders, TOTAL, offer).problem).toBe('points_step');
    // Points typed with no customer attached are not sent.
    expect(settle(typeAmount(UNTOUCHED, 'points', '10'), TOTAL).problem).toBe('points_unavailable');
    // Without an offer, F10 does nothing.
    expect(focusMethod(UNTOUCHED, 'points', TOTAL)).toBe(UNTOUCHED);
  });

  it('never fills more points than is left to pay', () => {
    const offer = { rate: 100, balance: 1_000_000 };
    const tenders = focusMethod(typeAmount(UNTOUCHED, 'wechat', '200'), 'points', TOTAL, offer);
    expect(tenders.points).toBe('50.00');
    expect(settle(tenders, TOTAL, offer)).toMatchObject({ paidFen: TOTAL, changeFen: 0, problem: null });
  });
});
