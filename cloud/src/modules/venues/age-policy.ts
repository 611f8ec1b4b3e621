/**
 * Age-based discounts (按年龄优惠): children, students' age band and seniors pay less, by the policy of the site's
 * province or city. A site holds its policy (usually copied from a preset and adjusted); ticket types apply the
 * site's policy, none, or their own list. Ages are completed years (周岁) on the visit date in the venue's calendar
 * (platform/identity/civil-date.ts `ageOn`).
 */
import { z } from 'zod';
import type { Localized } from '../../platform/language.js';
import { bilingual } from '../../platform/validation.js';

export const MAX_AGE = 150;

const discountSchema = z
  .discriminatedUnion('kind', [
    z.strictObject({
      kind: z.literal('permille'),
      payPermille: z
        .number()
        .int()
        .min(0)
        .max(1000)
        .describe(
          '应付比例（千分比）：0 免票，500 半价 / Share of the base price paid, per mille: 0 free, 500 half',
        ),
    }),
    z.strictObject({
      kind: z.literal('fixed'),
      priceFen: z
        .number()
        .int()
        .min(0)
        .max(100_000_000)
        .describe('固定价格（分），高于原价时按原价 / Fixed price in fen; never more than the base price'),
    }),
  ])
  .describe('优惠方式 / How the price is reduced');

export const ageRuleSchema = z
  .strictObject({
    minAge: z.number().int().min(0).max(MAX_AGE).describe('起始年龄（含）/ From this age (inclusive)'),
    maxAge: z
      .number()
      .int()
      .min(1)
      .max(MAX_AGE)
      .nullable()
      .describe('截止年龄（不含），null 为不设上限 / Up to this age (exclusive); null = no upper bound'),
    discount: discountSchema,
    label: z
      .strictObject({ zh: z.string().min(1).max(32), en: z.string().min(1).max(48) })
      .describe('票面与收据上的名称，如“儿童免票” / Shown on tickets and receipts, e.g. "Child (free)"'),
  })
  .refine(
    (rule) => rule.maxAge === null || rule.minAge < rule.maxAge,
    bilingual({ 'zh-CN': '起始年龄须小于截止年龄', en: 'minAge must be below maxAge' }),
  );
export type AgeRule = z.infer<typeof ageRuleSchema>;

/** A list of rules whose age ranges do not overlap, so at most one applies to any visitor. */
export const agePolicySchema = z
  .array(ageRuleSchema)
  .max(16)
  .superRefine((rules, context) => {
    const sorted = [...rules].sort((a, b) => a.minAge - b.minAge);
    for (let i = 1; i < sorted.length; i++) {
      const previous = sorted[i - 1]!;
      if (previous.maxAge === null || previous.maxAge > sorted[i]!.minAge) {
        context.addIssue({
          code: 'custom',
          ...bilingual({
            'zh-CN': `年龄段重叠：${previous.minAge} 岁起与 ${sorted[i]!.minAge} 岁起`,
            en: `age ranges overlap: from ${previous.minAge} and from ${sorted[i]!.minAge}`,
          }),
        });
      }
    }
  })
  .describe('按年龄优惠规则（年龄段不得重叠）/ Age-based discount rules (ranges must not overlap)');
export type AgePolicy = z.infer<typeof agePolicySchema>;

/** The rule for a visitor of `age`, if any. */
export function ageRuleFor(policy: AgePolicy, age: number): AgeRule | undefined {
  return policy.find((rule) => age >= rule.minAge && (rule.maxAge === null || age < rule.maxAge));
}

/** The price after the rule, in fen; per-mille results round half up to the fen. */
export function applyAgeRule(basePriceFen: number, rule: AgeRule): number {
  if (rule.discount.kind === 'fixed') return Math.min(basePriceFen, rule.discount.priceFen);
  return Math.floor((basePriceFen * rule.discount.payPermille + 500) / 1000);
}

const FREE = { kind: 'permille', payPermille: 0 } as const;
const HALF = { kind: 'permille', payPermille: 500 } as const;
const CHILD_FREE = { minAge: 0, maxAge: 6, discount: FREE, label: { zh: '儿童免票', en: 'Child (free)' } };
const MINOR_HALF = {
  minAge: 6,
  maxAge: 18,
  discount: HALF,
  label: { zh: '未成年人半价', en: 'Minor (half)' },
};

export interface AgePolicyPreset {
  readonly id: string;
  readonly name: Localized;
  readonly rules: AgePolicy;
}

/**
 * Starting points for a site's policy. Provinces differ (some make seniors free from 65, some from 60, some only
 * for local residents), so a site copies the nearest preset and edits it; presets are not law.
 */
export const AGE_POLICY_PRESETS: readonly AgePolicyPreset[] = [
  {
    id: 'child-free-minor-senior-half',
    name: {
      'zh-CN': '6 岁以下免票，6–18 岁及 60 岁以上半价',
      en: 'Under 6 free; 6 to 18 and 60+ half price',
    },
    rules: [
      CHILD_FREE,
      MINOR_HALF,
      { minAge: 60, maxAge: null, discount: HALF, label: { zh: '老年人半价', en: 'Senior (half)' } },
    ],
  },
  {
    id: 'child-free-minor-half-senior-tiered',
    name: {
      'zh-CN': '6 岁以下免票，6–18 岁半价，60–65 岁半价，65 岁以上免票',
      en: 'Under 6 free; 6 to 18 half; 60 to 65 half; 65+ free',
    },
    rules: [
      CHILD_FREE,
      MINOR_HALF,
      { minAge: 60, maxAge: 65, discount: HALF, label: { zh: '老年人半价', en: 'Senior (half)' } },
      { minAge: 65, maxAge: null, discount: FREE, label: { zh: '老年人免票', en: 'Senior (free)' } },
    ],
  },
];
