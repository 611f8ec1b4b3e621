import { describe, expect, it } from 'vitest';
import { numberParam, patchParams } from './url-filters';

describe('filters in the address', () => {
  it('reads whole numbers only', () => {
    expect(numberParam('1767225600000')).toBe(1767225600000);
    expect(numberParam('0')).toBe(0);
    expect(numberParam(null)).toBeUndefined();
    expect(numberParam('')).toBeUndefined();
    expect(numberParam('12.5')).toBeUndefined();
    expect(numberParam('abc')).toBeUndefined();
    expect(numberParam('9007199254740993')).toBeUndefined();
  });

  it('sets, replaces and drops keys and leaves the others alone', () => {
    const before = new URLSearchParams('site=s1&gate=g1&page=3&tab=daily');
    const after = patchParams(before, { site: 's2', gate: undefined, page: '', size: 50 });
    expect(after.toString()).toBe('site=s2&tab=daily&size=50');
    expect(before.toString()).toBe('site=s1&gate=g1&page=3&tab=daily');
  });
});
