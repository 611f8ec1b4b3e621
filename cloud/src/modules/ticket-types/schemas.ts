/**
 * What a ticket type is made of, as zod schemas that validate the API, the stored JSON and document /docs.
 * A *definition* is everything that is versioned; field schemas carry no defaults so that a PATCH can name only
 * what changes — defaults for a new type come from `defaultsFor(kind)`, and cross-field rules from
 * `definitionSchema`, which every version passes before it is written.
 */
import { idStringSchema, ticketTypeRulesSchema, typeIdSchema } from '@scenic/protocol';
import { z } from 'zod';
import { bilingual } from '../../platform/validation.js';
import { agePolicySchema, ageRuleSchema } from '../venues/age-policy.js';
import { venueIdSchema } from '../venues/schemas.js';
import { SALES_CHANNELS } from './channels.js';

export const TICKET_KINDS = [
  'single',
  'count',
  'day_pass',
  'month_pass',
  'quarter_pass',
  'year_pass',
  'period_pass',
  'group',
] as const;
export type TicketKind = (typeof TICKET_KINDS)[number];

/** The longest a first-use ticket may wait for its first entry, and the default wait: a year from its visit date. */
export const MAX_ACTIVATION_DAYS = 366;
export const DEFAULT_ACTIVATION_DAYS = 365;

const PASS_LENGTHS: Partial<Record<TicketKind, { unit: 'day' | 'month'; count: number }>> = {
  day_pass: { unit: 'day', count: 1 },
  month_pass: { unit: 'month', count: 1 },
  quarter_pass: { unit: 'month', count: 3 },
  year_pass: { unit: 'month', count: 12 },
};

export const kindSchema = z
  .enum(TICKET_KINDS)
  .describe(
    '票种类别：single 单次票，count 次卡，day_pass 日票，month_pass 月卡，quarter_pass 季卡，year_pass 年卡，' +
      'period_pass 自定义天数期票，group 团体票 / Kind: single entry, count card (N entries), day / month / ' +
      'quarter / year pass, pass of N days, group ticket',
  );

export const channelSchema = z
  .enum(SALES_CHANNELS)
  .describe(
    '销售渠道：window 售票窗口，online 官方线上，ota OTA 平台，agency 旅行社，self_service 自助售票机 / ' +
      'Sales channel: ticket window, own online shop, online travel agency, travel agency, self-service machine',
  );

const fen = z.number().int().min(0).max(100_000_000);

export const nameSchema = z
  .strictObject({
    zh: z
      .string()
      .trim()
      .min(1)
      .max(32)
      .describe('中文名称（闸机 LED 与语音使用）/ Chinese name, also on gate LEDs'),
    en: z.string().trim().min(1).max(48).describe('英文名称 / English name'),
  })
  .describe('票种名称 / Ticket type name');

export const validitySchema = z
  .strictObject({
    from: z
      .enum(['visit_date', 'sale', 'first_use'])
      .describe('起算：游玩日、售出时、首次入园 / Counted from the visit date, the sale, or the first entry'),
    length: z.strictObject({
      unit: z.enum(['day', 'month']).describe('单位：天或自然月 / Unit: days or calendar months'),
      count: z.number().int().min(1).max(3660),
    }),
    activateWithinDays: z
      .number()
      .int()
      .min(1)
      .max(MAX_ACTIVATION_DAYS)
      .optional()
      .describe(
        '首次入园起算时：自游玩日起多少天内须首次入园激活（游玩日为第 1 天），缺省 365 / From first use: the ' +
          'first entry must be within this many days from the visit date (the visit date is day 1); default 365',
      ),
    activateBy: z.iso
      .date()
      .optional()
      .describe(
        '首次入园起算时：最晚激活日期（景区当地日期，含当日）/ From first use: the last local date a first entry ' +
          'may activate the ticket (inclusive)',
      ),
  })
  .describe(
    '有效期，如仅限游玩当日 {from: visit_date, length: 1 day}，首次使用起 30 天 / Validity, e.g. the visit date only ' +
      'is {from: visit_date, length: 1 day}; 30 days from first use is {from: first_use, length: 30 days}',
  );
export type Validity = z.infer<typeof validitySchema>;

export const personsSchema = z
  .strictObject({ min: z.number().int().min(1).max(999), max: z.number().int().min(1).max(999) })
  .refine(
    (p) => p.min <= p.max,
    bilingual({ 'zh-CN': '最少人数不能大于最多人数', en: 'min must not exceed max' }),
  )
  .describe(
    '每张票的人数范围（团体票），其余票种为 1–1 / Persons per ticket (group tickets); 1 to 1 otherwise',
  );

export const pricesSchema = z
  .partialRecord(channelSchema, fen.describe('价格（分）/ Price in fen'))
  .refine(
    (prices) => Object.keys(prices).length > 0,
    bilingual({ 'zh-CN': '至少设置一个渠道的价格', en: 'set a price for at least one channel' }),
  )
  .describe(
    '各渠道价格（分），未列出的渠道不售；团体票为每人价格 / Price in fen per sales channel; a channel not listed ' +
      'does not sell the type; per person for group tickets',
  );
export type Prices = z.infer<typeof pricesSchema>;

export const gateRulesSchema = ticketTypeRulesSchema
  .omit({ typeId: true, name: true })
  .describe(
    '闸机规则：可用星期（位掩码）、时段、每日次数、防潜回秒数、严格进出交替、区域、闸机、预约时段提前/延后容差、' +
      '出场免检、未确认通过是否计次（默认计次）、有效期内可游玩天数（任选 N 天）、当日可再入园（可设截止时间）/ Gate ' +
      'rules: weekdays bitmask, hours, entries per day, anti-passback seconds, strict alternation, zones, gates, ' +
      'slot early/late tolerance, free exit, whether an unconfirmed passage uses an entry (default yes), visit days ' +
      'within the validity (any N days), same-day re-entry (with an optional cut-off)',
  );
export type GateRules = z.infer<typeof gateRulesSchema>;

export const refundPolicySchema = z
  .strictObject({
    refundable: z.boolean().describe('是否可退 / Whether refunds are allowed'),
    deadline: z
      .strictObject({
        dayOffset: z
          .number()
          .int()
          .min(-365)
          .max(365)
          .describe('相对游玩日的天数 / Days relative to the visit date'),
        minuteOfDay: z
          .number()
          .int()
          .min(0)
          .max(1440)
          .describe('当天的分钟数，1440 为当天结束 / Minute of that local day; 1440 = end of day'),
      })
      .nullable()
      .describe(
        '退票截止：游玩日偏移天数的当地时间；null 为使用前均可退 / Refunds allowed until this local time ' +
          'relative to the visit date; null = any time before use',
      ),
    fee: z
      .discriminatedUnion('kind', [
        z.strictObject({ kind: z.literal('fixed'), fen }),
        z.strictObject({ kind: z.literal('permille'), permille: z.number().int().min(0).max(1000) }),
      ])
      .describe('手续费：固定金额（分）或按票价千分比 / Fee: fixed in fen, or per mille of the price paid'),
    proRata: z.boolean().describe('次卡按未用次数比例退款 / Count cards refund the unused share of entries'),
  })
  .describe('退票规则 / Refund policy');
export type RefundPolicy = z.infer<typeof refundPolicySchema>;

export const ageDiscountsSchema = z
  .discriminatedUnion('source', [
    z.strictObject({ source: z.literal('site') }),
    z.strictObject({ source: z.literal('none') }),
    z.strictObject({ source: z.literal('custom'), rules: agePolicySchema }),
  ])
  .describe(
    '年龄优惠：沿用景区政策、不优惠、或本票种自定 / Age discounts: the site policy, none, or rules of this type',
  );
export type AgeDiscounts = z.infer<typeof ageDiscountsSchema>;

/** Every versioned field; no defaults (see the file comment). */
export const definitionFields = z.strictObject({
  name: nameSchema,
  kind: kindSchema,
  validity: validitySchema,
  entries: z
    .number()
    .int()
    .min(1)
    .max(10_000)
    .nullable()
    .describe(
      '可入园次数：单次票与团体票 1，次卡 N，期票 null 不限 / Entries: 1, N for count cards, null for passes',
    ),
  persons: personsSchema,
  prices: pricesSchema,
  rules: gateRulesSchema,
  refund: refundPolicySchema,
  realName: z
    .enum(['none', 'per_ticket'])
    .describe('实名制：none 不实名，per_ticket 一票一证 / Real-name: none, or one ID number per ticket'),
  perIdDailyLimit: z
    .number()
    .int()
    .min(1)
    .max(100)
    .nullable()
    .describe('同一证件每游玩日限购张数，null 不限 / Tickets per ID number per visit day; null = no limit'),
  ageDiscounts: ageDiscountsSchema,
});
export type Definition = z.infer<typeof definitionFields>;

/** The rules that tie the fields together, so a stored version always makes sense as a whole. */
export const definitionSchema = definitionFields.superRefine((d, context) => {
  const problem = (path: string, zh: string, en: string) =>
    context.addIssue({ code: 'custom', path: [path], ...bilingual({ 'zh-CN': zh, en }) });
  const passLength = PASS_LENGTHS[d.kind];
  if (
    passLength &&
    (d.validity.length.unit !== passLength.unit || d.validity.length.count !== passLength.count)
  ) {
    problem(
      'validity',
      `该票种的有效期应为 ${passLength.count} ${passLength.unit === 'day' ? '天' : '个月'}`,
      `this kind is valid for ${passLength.count} ${passLength.unit}(s)`,
    );
  }
  if (
    d.validity.from !== 'first_use' &&
    (d.validity.activateWithinDays !== undefined || d.validity.activateBy !== undefined)
  )
    problem(
      'validity',
      '只有“首次入园起算”的票种可以设置最晚激活期限',
      'only a validity counted from the first entry has an activation deadline',
    );
  const visitDays = d.rules.visitDays;
  const longest = d.validity.length.unit === 'day' ? d.validity.length.count : d.validity.length.count * 31;
  if (visitDays !== undefined && visitDays > longest)
    context.addIssue({
      code: 'custom',
      path: ['rules', 'visitDays'],
      ...bilingual({
        'zh-CN': `可游玩天数（${visitDays} 天）不能多于有效期的天数`,
        en: `${visitDays} visit days do not fit in the validity`,
      }),
    });
  if (d.rules.reentry !== undefined && d.kind !== 'single')
    context.addIssue({
      code: 'custom',
      path: ['rules', 'reentry'],
      ...bilingual({
        'zh-CN': '当日可再入园只适用于单次票（日票）',
        en: 'same-day re-entry is for single-entry day tickets only',
      }),
    });
  if (d.kind === 'period_pass' && d.validity.length.unit !== 'day')
    problem('validity', '自定义期票按天计', 'a period pass is counted in days');
  if ((d.kind === 'single' || d.kind === 'group') && d.entries !== 1)
    problem('entries', '单次票与团体票只能入园 1 次', 'single and group tickets admit exactly once');
  if (d.kind === 'count' && (d.entries === null || d.entries < 2))
    problem('entries', '次卡至少 2 次', 'a count card has at least 2 entries');
  if (d.kind.endsWith('_pass') && d.entries !== null)
    problem(
      'entries',
      '期票不限次数（每日次数请用 rules.entriesPerDay）',
      'passes are unlimited; use rules.entriesPerDay',
    );
  if (d.kind !== 'group' && (d.persons.min !== 1 || d.persons.max !== 1))
    problem('persons', '只有团体票可设置人数', 'only group tickets admit more than one person');
  if (d.kind === 'group' && d.ageDiscounts.source !== 'none')
    problem('ageDiscounts', '团体票不按年龄优惠', 'group tickets have no age discounts');
  if (d.refund.proRata && d.kind !== 'count')
    problem('refund', '只有次卡可按比例退款', 'only count cards refund pro rata');
  if (d.perIdDailyLimit !== null && d.realName === 'none')
    problem('perIdDailyLimit', '限购需要实名制', 'a per-ID limit needs real-name tickets');
  for (const [index, window] of d.rules.hours.entries()) {
    if (window.from >= window.to)
      context.addIssue({
        code: 'custom',
        path: ['rules', 'hours', index],
        ...bilingual({ 'zh-CN': '时段开始须早于结束', en: 'from must be before to' }),
      });
  }
});

/** Sensible starting values for a new type of `kind`; the request overrides any of them. */
export function defaultsFor(kind: TicketKind): Omit<Definition, 'name' | 'kind' | 'prices'> {
  const passLength = PASS_LENGTHS[kind];
  return {
    // A count card's entries are spread over months: valid for a year from its sale (the 十次卡 template's), not for
    // the visit date alone, which left a card bought for ten visits usable on one day.
    validity:
      kind === 'count'
        ? { from: 'sale', length: { unit: 'month', count: 12 } }
        : {
            from: kind.endsWith('_pass') ? 'first_use' : 'visit_date',
            length: passLength ?? { unit: 'day', count: kind === 'period_pass' ? 30 : 1 },
          },
    entries: kind === 'single' || kind === 'group' ? 1 : kind === 'count' ? 10 : null,
    persons: kind === 'group' ? { min: 10, max: 50 } : { min: 1, max: 1 },
    rules: gateRulesSchema.parse({}),
    refund: {
      refundable: true,
      deadline: { dayOffset: 0, minuteOfDay: 1440 },
      fee: { kind: 'fixed', fen: 0 },
      proRata: kind === 'count',
    },
    realName: 'none',
    perIdDailyLimit: null,
    ageDiscounts: { source: kind === 'group' ? 'none' : 'site' },
  };
}

const epochMs = z.number().int().describe('Epoch milliseconds');

export const ticketTypeVersionSchema = definitionFields
  .extend({
    typeId: typeIdSchema,
    version: z.number().int().min(1).describe('版本号，每次修改加一 / Version, one more on every change'),
    createdAt: epochMs,
  })
  .meta({ id: 'TicketTypeVersion' });
export type TicketTypeVersion = z.infer<typeof ticketTypeVersionSchema>;

export const ticketTypeSchema = ticketTypeVersionSchema
  .extend({
    siteId: venueIdSchema,
    code: idStringSchema,
    active: z.boolean(),
    updatedAt: epochMs,
  })
  .describe('票种（当前版本）/ A ticket type with its current version')
  .meta({ id: 'TicketType' });
export type TicketType = z.infer<typeof ticketTypeSchema>;

export const createTicketTypeSchema = definitionFields.partial().extend({
  typeId: typeIdSchema.describe('票种编号 1–65535，写入二维码与闸机配置，全局唯一 / Type id 1-65535, unique'),
  siteId: venueIdSchema,
  code: idStringSchema.describe('景区内唯一的票种代码，如 ADULT / Code unique within the site, e.g. ADULT'),
  name: nameSchema,
  kind: kindSchema,
  prices: pricesSchema,
  active: z.boolean().optional(),
});
export type CreateTicketType = z.infer<typeof createTicketTypeSchema>;

export const updateTicketTypeSchema = definitionFields.partial().extend({
  active: z
    .boolean()
    .optional()
    .describe('启用或停用，不产生新版本 / Activate or deactivate; no new version'),
  expectedVersion: z
    .number()
    .int()
    .min(1)
    .optional()
    .describe('基于的版本；已被他人修改时返回 409 / The version this edit is based on; 409 if it changed'),
});
export type UpdateTicketType = z.infer<typeof updateTicketTypeSchema>;

export const quoteRequestSchema = z.strictObject({
  channel: channelSchema,
  visitDate: z.iso.date().describe('游玩日（景区当地日期）YYYY-MM-DD / Visit date in the venue calendar'),
  idNumber: z.string().max(32).optional().describe('身份证号，用于按年龄优惠 / ID number, for age discounts'),
  birthDate: z.iso
    .date()
    .optional()
    .describe('出生日期（无身份证时）/ Birth date, when there is no ID number'),
  persons: z.number().int().min(1).max(999).optional().describe('团体人数 / Persons, for group tickets'),
});
export type QuoteRequest = z.infer<typeof quoteRequestSchema>;

export const quoteSchema = z
  .object({
    typeId: typeIdSchema,
    version: z.number().int(),
    channel: channelSchema,
    visitDate: z.string(),
    persons: z.number().int(),
    basePriceFen: fen.describe('渠道原价（每张或每人）/ Channel price per ticket, or per person for groups'),
    priceFen: z.number().int().describe('应收金额（分）/ Amount due in fen'),
    age: z.number().int().nullable().describe('游玩日周岁 / Completed years on the visit date'),
    ageRule: ageRuleSchema.nullable().describe('适用的年龄优惠 / The age rule applied'),
  })
  .meta({ id: 'TicketQuote' });
export type Quote = z.infer<typeof quoteSchema>;

export const typeIdParamsSchema = z.object({ typeId: z.coerce.number().pipe(typeIdSchema) });
export const siteQuerySchema = z.object({ siteId: idStringSchema.optional() });
