import { describe, expect, it } from 'vitest';
import { tender } from './tender';

describe('a supplement’s tender', () => {
  it('takes nothing when nothing is due', () => {
    expect(tender(0, 'cash', 5_000)).toEqual({ ok: true, payments: [], changeFen: 0 });
  });

  it('gives change on cash only, and refuses cash short of the amount', () => {
    expect(tender(4_000, 'cash', 5_000)).toEqual({
      ok: true,
      payments: [{ method: 'cash', amountFen: 5_000 }],
      changeFen: 1_000,
    });
    expect(tender(4_000, 'cash', 3_999)).toEqual({ ok: false, problem: 'short' });
    expect(tender(4_000, 'cash')).toEqual({
      ok: true,
      payments: [{ method: 'cash', amountFen: 4_000 }],
      changeFen: 0,
    });
    expect(tender(4_000, 'wechat', 9_000)).toEqual({
      ok: true,
      payments: [{ method: 'wechat', amountFen: 4_000 }],
      changeFen: 0,
    });
  });
});
