import { describe, expect, it } from 'vitest';
import { AGE_POLICY_PRESETS, type AgeRule, agePolicySchema, ageRuleFor, applyAgeRule } from './age-policy.js';

const label = { zh: '优惠', en: 'Discount' };

describe('age rules', () => {
  const policy = AGE_POLICY_PRESETS[0]!.rules;

  it('treats minAge as inclusive and maxAge as exclusive', () => {
    expect([0, 5, 6, 17, 18, 59, 60, 120].map((age) => ageRuleFor(policy, age)?.label.en ?? null)).toEqual([
      'Child (free)',
      'Child (free)',
      'Minor (half)',
      'Minor (half)',
      null,
      null,
      'Senior (half)',
      'Senior (half)',
    ]);
  });

  it('rounds per-mille prices half up to the fen and never raises a price with a fixed one', () => {
    const half: AgeRule = { minAge: 0, maxAge: 1, discount: { kind: 'permille', payPermille: 500 }, label };
    expect(applyAgeRule(8001, half)).toBe(4001);
    expect(applyAgeRule(8000, half)).toBe(4000);
    const third: AgeRule = { minAge: 0, maxAge: 1, discount: { kind: 'permille', payPermille: 333 }, label };
    expect(applyAgeRule(100, third)).toBe(33);
    const fixed: AgeRule = { minAge: 0, maxAge: 1, discount: { kind: 'fixed', priceFen: 2000 }, label };
    expect(applyAgeRule(5000, fixed)).toBe(2000);
    expect(applyAgeRule(1500, fixed)).toBe(1500);
  });

  it('accepts every preset and refuses overlapping or empty ranges', () => {
    for (const preset of AGE_POLICY_PRESETS)
      expect(agePolicySchema.safeParse(preset.rules).success).toBe(true);
    const rule = (minAge: number, maxAge: number | null) => ({
      minAge,
      maxAge,
      discount: { kind: 'permille', payPermille: 0 },
      label,
    });
    expect(agePolicySchema.safeParse([rule(60, null), rule(65, null)]).success).toBe(false);
    expect(agePolicySchema.safeParse([rule(0, 7), rule(6, 18)]).success).toBe(false);
    expect(agePolicySchema.safeParse([rule(6, 6)]).success).toBe(false);
    expect(agePolicySchema.safeParse([rule(6, 18), rule(0, 6)]).success).toBe(true);
  });
});
