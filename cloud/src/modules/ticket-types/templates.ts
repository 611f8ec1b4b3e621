/**
 * Ticket type templates (票种模板): the ready-made definitions a venue starts from. Each `body` is a whole create
 * body for POST /api/v1/ticket-types except `typeId` and `siteId`, with a default price in fen to adjust; every
 * versioned field is spelled out, so a console can show the full form. The child and senior tickets take their age
 * rules from an age-policy preset (venues/age-policy.ts) and are real-name, so the visitor's ID number proves the
 * age the price depends on.
 */
import { idStringSchema } from '@scenic/protocol';
import { z } from 'zod';
import { deepFreeze } from '../../platform/deep-freeze.js';
import type { Localized } from '../../platform/language.js';
import { AGE_POLICY_PRESETS, type AgePolicy } from '../venues/age-policy.js';
import { type Definition, defaultsFor, definitionFields, type TicketKind } from './schemas.js';

export const ticketTypeTemplateSchema = z
  .object({
    key: z.string().describe('模板标识 / Template key'),
    name: z.object({ 'zh-CN': z.string(), en: z.string() }),
    description: z.object({ 'zh-CN': z.string(), en: z.string() }),
    body: definitionFields
      .extend({ code: idStringSchema })
      .describe(
        '新建票种的请求体，补上 typeId 与 siteId、按需改价即可提交 / The create body: add typeId and siteId, ' +
          'adjust the price, and POST it',
      ),
  })
  .meta({ id: 'TicketTypeTemplate' });
export type TicketTypeTemplate = z.infer<typeof ticketTypeTemplateSchema>;

/** The preset the child and senior tickets draw their age rules from. */
const AGE_PRESET_ID = 'child-free-minor-senior-half';

function presetRules(keep: (rule: AgePolicy[number]) => boolean): AgePolicy {
  const preset = AGE_POLICY_PRESETS.find((p) => p.id === AGE_PRESET_ID);
  if (!preset) throw new Error(`age policy preset ${AGE_PRESET_ID} is missing`);
  return preset.rules.filter(keep).map((rule) => structuredClone(rule));
}

interface TemplateSpec {
  readonly key: string;
  readonly name: Localized;
  readonly description: Localized;
  readonly code: string;
  readonly kind: TicketKind;
  /** The ticket type's own name (gate LEDs, receipts). */
  readonly ticketName: Definition['name'];
  /** Window price in fen, to adjust. */
  readonly priceFen: number;
  /** What differs from the kind's defaults (schemas.ts `defaultsFor`). */
  readonly changes?: Partial<Definition>;
}

function template(spec: TemplateSpec): TicketTypeTemplate {
  const { key, name, description, code, kind, ticketName, priceFen, changes } = spec;
  return {
    key,
    name,
    description,
    body: { code, name: ticketName, kind, prices: { window: priceFen }, ...defaultsFor(kind), ...changes },
  };
}

/** A personal pass stays with its holder: no second entry within 10 minutes (handed back over the gate). */
const PASS_CHANGES: Partial<Definition> = {
  realName: 'per_ticket',
  rules: { ...defaultsFor('month_pass').rules, antiPassbackSec: 600 },
};

export const TICKET_TYPE_TEMPLATES: readonly TicketTypeTemplate[] = deepFreeze([
  template({
    key: 'adult',
    name: { 'zh-CN': '成人票', en: 'Adult day ticket' },
    description: {
      'zh-CN':
        '游玩当日入园一次，全价，不按年龄优惠（儿童、老人请用儿童票、老人票）；游玩日结束前未使用可退。',
      en:
        'One entry on the visit date at the full price, no age discounts (children and seniors have their own ' +
        'tickets); refundable until the end of the visit date if unused.',
    },
    code: 'ADULT',
    kind: 'single',
    ticketName: { zh: '成人票', en: 'Adult' },
    priceFen: 10_000,
    changes: { ageDiscounts: { source: 'none' } },
  }),
  template({
    key: 'child',
    name: { 'zh-CN': '儿童票', en: 'Child day ticket' },
    description: {
      'zh-CN':
        '游玩当日入园一次，实名，按游玩日周岁计价：6 岁以下免票，6–18 岁半价（年龄政策模板“6 岁以下免票，6–18 岁及 ' +
        '60 岁以上半价”），其他年龄付原价；原价请填成人票价；每证每日限购 1 张。',
      en:
        'One entry on the visit date, real-name, priced by age on the visit date: under 6 free, 6 to 18 half ' +
        '(from the age policy preset "Under 6 free; 6 to 18 and 60+ half price"), full price otherwise; set the ' +
        'price to the adult price; one per ID number per day.',
    },
    code: 'CHILD',
    kind: 'single',
    ticketName: { zh: '儿童票', en: 'Child' },
    priceFen: 10_000,
    changes: {
      realName: 'per_ticket',
      perIdDailyLimit: 1,
      ageDiscounts: { source: 'custom', rules: presetRules((r) => r.maxAge !== null && r.maxAge <= 18) },
    },
  }),
  template({
    key: 'senior',
    name: { 'zh-CN': '老人票', en: 'Senior day ticket' },
    description: {
      'zh-CN':
        '游玩当日入园一次，实名，60 岁以上半价（年龄政策模板“6 岁以下免票，6–18 岁及 60 岁以上半价”），其他年龄付' +
        '原价；原价请填成人票价；每证每日限购 1 张。',
      en:
        'One entry on the visit date, real-name, half price from 60 (from the age policy preset "Under 6 free; ' +
        '6 to 18 and 60+ half price"), full price otherwise; set the price to the adult price; one per ID number ' +
        'per day.',
    },
    code: 'SENIOR',
    kind: 'single',
    ticketName: { zh: '老人票', en: 'Senior' },
    priceFen: 10_000,
    changes: {
      realName: 'per_ticket',
      perIdDailyLimit: 1,
      ageDiscounts: { source: 'custom', rules: presetRules((r) => r.minAge >= 60) },
    },
  }),
  template({
    key: 'count10',
    name: { 'zh-CN': '十次卡', en: '10-entry card' },
    description: {
      'zh-CN': '10 次入园，自售出起一年有效，不记名（可多人共用），未用次数随时按比例退款。',
      en:
        'Ten entries within a year of the sale, not personal (may be shared); unused entries refundable pro ' +
        'rata at any time.',
    },
    code: 'COUNT10',
    kind: 'count',
    ticketName: { zh: '十次卡', en: '10-entry card' },
    priceFen: 60_000,
    changes: {
      entries: 10,
      validity: { from: 'sale', length: { unit: 'month', count: 12 } },
      refund: { ...defaultsFor('count').refund, deadline: null, proRata: true },
    },
  }),
  template({
    key: 'month',
    name: { 'zh-CN': '月卡', en: 'Month pass' },
    description: {
      'zh-CN': '自首日（游玩日）起一个月内不限次数入园，实名，10 分钟内不能再次进入（防止递卡）。',
      en:
        'Unlimited entries for a month from its first day (the visit date), real-name, no second entry within ' +
        '10 minutes (anti-passback).',
    },
    code: 'MONTH',
    kind: 'month_pass',
    ticketName: { zh: '月卡', en: 'Month pass' },
    priceFen: 20_000,
    changes: PASS_CHANGES,
  }),
  template({
    key: 'quarter',
    name: { 'zh-CN': '季卡', en: 'Quarter pass' },
    description: {
      'zh-CN': '自首日（游玩日）起三个月内不限次数入园，实名，10 分钟内不能再次进入（防止递卡）。',
      en:
        'Unlimited entries for three months from its first day (the visit date), real-name, no second entry ' +
        'within 10 minutes (anti-passback).',
    },
    code: 'QUARTER',
    kind: 'quarter_pass',
    ticketName: { zh: '季卡', en: 'Quarter pass' },
    priceFen: 50_000,
    changes: PASS_CHANGES,
  }),
  template({
    key: 'year',
    name: { 'zh-CN': '年卡', en: 'Year pass' },
    description: {
      'zh-CN': '自首日（游玩日）起一年内不限次数入园，实名，10 分钟内不能再次进入（防止递卡）。',
      en:
        'Unlimited entries for a year from its first day (the visit date), real-name, no second entry within ' +
        '10 minutes (anti-passback).',
    },
    code: 'YEAR',
    kind: 'year_pass',
    ticketName: { zh: '年卡', en: 'Year pass' },
    priceFen: 120_000,
    changes: PASS_CHANGES,
  }),
]);
