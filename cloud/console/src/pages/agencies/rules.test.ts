import { describe, expect, it } from 'vitest';
import {
  checkAmount,
  contactsBody,
  datedProblems,
  looksLikeEmail,
  MAX_MOVEMENT_FEN,
  monthOf,
  statementIdentity,
} from './rules';

describe('agency form rules', () => {
  it('reads a top-up in yuan as exact fen within the API’s range', () => {
    const topUp = { min: 1, max: MAX_MOVEMENT_FEN };
    expect(checkAmount('1000', topUp)).toEqual({ fen: 100_000 });
    expect(checkAmount('0.29', topUp)).toEqual({ fen: 29 });
    expect(checkAmount('¥1,000.5', topUp)).toEqual({ fen: 100_050 });
    expect(checkAmount('0', topUp)).toEqual({ problem: 'range' });
    expect(checkAmount('1000001', topUp)).toEqual({ problem: 'range' });
    expect(checkAmount('-5', topUp)).toEqual({ problem: 'format' });
    expect(checkAmount('1.234', topUp)).toEqual({ problem: 'format' });
    expect(checkAmount('', topUp)).toEqual({ problem: 'format' });
  });

  it('takes a signed adjustment and refuses zero', () => {
    const adjust = { min: -MAX_MOVEMENT_FEN, max: MAX_MOVEMENT_FEN, signed: true };
    expect(checkAmount('-12.5', adjust)).toEqual({ fen: -1250 });
    expect(checkAmount('30', adjust)).toEqual({ fen: 3000 });
    expect(checkAmount('-0', adjust)).toEqual({ problem: 'zero' });
    expect(checkAmount('0.00', adjust)).toEqual({ problem: 'zero' });
    expect(checkAmount('--1', adjust)).toEqual({ problem: 'format' });
  });

  it('finds reversed and overlapping date ranges (both ends inclusive)', () => {
    expect(
      datedProblems([
        { from: '2026-12-01', to: '2026-12-10' },
        { from: '2026-12-10', to: '2026-12-12' },
        { from: '2026-12-20', to: '2026-12-19' },
        { from: '2026-12-13', to: '2026-12-15' },
        { from: '2026-12-13' },
      ]),
    ).toEqual([undefined, 'overlap', 'order', undefined, undefined]);
  });

  it('leaves an empty email out of a contact and trims the rest', () => {
    expect(
      contactsBody([
        { name: ' 张三 ', phone: ' 138 ', email: ' ' },
        { name: 'Li', phone: '139', email: 'li@example.com' },
      ]),
    ).toEqual([
      { name: '张三', phone: '138' },
      { name: 'Li', phone: '139', email: 'li@example.com' },
    ]);
    expect(looksLikeEmail('a@b.cn')).toBe(true);
    expect(looksLikeEmail('a@b')).toBe(false);
  });

  it('checks a statement’s identity: opening + top-ups − debits + credits = closing', () => {
    const statement = {
      openingBalanceFen: 5_000,
      topUpsFen: 100_000,
      debitsFen: 12_000,
      creditsFen: 3_000,
      closingBalanceFen: 96_000,
    };
    expect(statementIdentity(statement)).toEqual({ expectedFen: 96_000, balanced: true });
    expect(statementIdentity({ ...statement, closingBalanceFen: 95_999 }).balanced).toBe(false);
  });

  it('gives a month’s first and last day', () => {
    expect(monthOf('2026-02-14')).toEqual({ from: '2026-02-01', to: '2026-02-28' });
    expect(monthOf('2028-02-01')).toEqual({ from: '2028-02-01', to: '2028-02-29' });
    expect(monthOf('2026-12-07')).toEqual({ from: '2026-12-01', to: '2026-12-31' });
  });
});
