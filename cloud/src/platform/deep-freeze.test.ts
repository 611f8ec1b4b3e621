import { describe, expect, it } from 'vitest';
import { deepFreeze } from './deep-freeze.js';

describe('deepFreeze', () => {
  it('freezes nested objects and arrays, so a shared value cannot be changed', () => {
    const value = deepFreeze({
      rules: [{ minAge: 6, discount: { kind: 'permille', payPermille: 500 } }],
      n: 1,
    });
    expect(Object.isFrozen(value)).toBe(true);
    expect(Object.isFrozen(value.rules)).toBe(true);
    expect(Object.isFrozen(value.rules[0]!.discount)).toBe(true);
    expect(() => {
      (value.rules[0]!.discount as { payPermille: number }).payPermille = 0;
    }).toThrow(TypeError);
    expect(value.rules[0]!.discount.payPermille).toBe(500);
  });

  it('leaves primitives and null as they are', () => {
    expect(deepFreeze(3)).toBe(3);
    expect(deepFreeze(null)).toBe(null);
    expect(deepFreeze('a')).toBe('a');
  });
});
