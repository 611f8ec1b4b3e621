import { describe, expect, it } from 'vitest';
import { AppError } from '../../platform/errors.js';
import { settle } from './payments.js';

const refusal = (run: () => unknown) => {
  try {
    run();
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error('expected an AppError');
};

describe('settle', () => {
  it('gives change from cash up to the cap, and not a fen more', () => {
    expect(settle(1_000, [{ method: 'cash', amountFen: 101_000 }], 100_000)).toEqual({
      paidFen: 101_000,
      changeFen: 100_000,
    });
    const tooMuch = refusal(() => settle(1_000, [{ method: 'cash', amountFen: 101_001 }], 100_000));
    expect([tooMuch.code, tooMuch.status, tooMuch.details]).toEqual([
      'CHANGE_TOO_LARGE',
      400,
      { changeFen: 100_001, maxChangeFen: 100_000 },
    ]);
    expect(tooMuch.messages).toEqual({
      'zh-CN': '找零 1000.01 元超过上限 1000.00 元：请核对收取的现金金额',
      en: 'Change of 1000.01 yuan is above the limit of 1000.00 yuan: check the cash amount taken',
    });
  });

  it('refuses eight payments of a million yuan for a ten-yuan sale', () => {
    const payments = Array.from({ length: 8 }, () => ({ method: 'cash' as const, amountFen: 100_000_000 }));
    expect(refusal(() => settle(1_000, payments, 100_000)).code).toBe('CHANGE_TOO_LARGE');
  });

  it('with a cap of 0 takes exact cash only; the other refusals come first', () => {
    expect(settle(1_000, [{ method: 'cash', amountFen: 1_000 }], 0)).toEqual({
      paidFen: 1_000,
      changeFen: 0,
    });
    expect(refusal(() => settle(1_000, [{ method: 'cash', amountFen: 1_001 }], 0)).code).toBe(
      'CHANGE_TOO_LARGE',
    );
    expect(refusal(() => settle(1_000, [{ method: 'cash', amountFen: 999 }], 0)).code).toBe(
      'PAYMENT_MISMATCH',
    );
    expect(refusal(() => settle(1_000, [{ method: 'wechat', amountFen: 500_000 }], 100_000)).code).toBe(
      'PAYMENT_MISMATCH',
    );
  });
});
