/** Request and response shapes of the venues API; the same zod schemas validate input and document /docs. */
import { GATE_DIRECTIONS, idStringSchema, isCheckoutTime } from '@scenic/protocol';
import { z } from 'zod';
import { isTimeZone } from '../../platform/time-zone.js';
import { bilingual } from '../../platform/validation.js';
import { agePolicySchema } from './age-policy.js';

export const venueIdSchema = idStringSchema.describe(
  '编号：字母数字开头，可含 _ . -，最长 64 / Id: starts with a letter or digit, may contain _ . -, at most 64',
);

export const venueNameSchema = z
  .strictObject({
    zh: z.string().trim().min(1).max(64).describe('中文名称 / Chinese name'),
    en: z.string().trim().min(1).max(128).describe('英文名称 / English name'),
  })
  .describe('名称 / Name');

const activeSchema = z.boolean().describe('是否启用 / Whether in use');

const timezoneSchema = z
  .string()
  .max(64)
  .refine(isTimeZone, bilingual({ 'zh-CN': '不是有效的 IANA 时区名', en: 'not a valid IANA time zone name' }))
  .describe('IANA 时区，决定营业日与年龄计算 / IANA time zone of the local calendar, e.g. Asia/Shanghai');

const capacitySchema = z.number().int().min(0).max(10_000_000);

const autoCheckoutSchema = z
  .string()
  .max(5)
  .refine(
    isCheckoutTime,
    bilingual({
      'zh-CN': '自动清场时间须为 HH:MM（00:00–23:59）',
      en: 'the automatic check-out time must be HH:MM (00:00–23:59)',
    }),
  )
  .nullable()
  .describe(
    '自动清场时间（景区当地时间 HH:MM），到点仍在园者视为离园；null 为不清场 / Automatic check-out, local "HH:MM": everyone still inside counts as having left; null = none',
  );
const epochMs = z.number().int().describe('Epoch milliseconds');

export const siteSchema = z
  .object({
    id: venueIdSchema,
    name: venueNameSchema,
    timezone: z.string(),
    dailyCapacity: capacitySchema
      .nullable()
      .describe('每日接待上限，null 为不限 / Daily visitor cap; null = none'),
    agePolicy: agePolicySchema.nullable().describe('本景区的年龄优惠政策 / The site age discount policy'),
    autoCheckoutAt: autoCheckoutSchema,
    createdAt: epochMs,
    updatedAt: epochMs,
  })
  .meta({ id: 'Site' });
export type Site = z.infer<typeof siteSchema>;

export const createSiteSchema = z.strictObject({
  id: venueIdSchema,
  name: venueNameSchema,
  timezone: timezoneSchema.default('Asia/Shanghai'),
  dailyCapacity: capacitySchema.nullable().default(null),
  agePolicy: agePolicySchema.nullable().default(null),
  autoCheckoutAt: autoCheckoutSchema.default(null),
});
/** What creates a site; callers in code may leave out the automatic check-out (none). */
export type CreateSite = Omit<z.infer<typeof createSiteSchema>, 'autoCheckoutAt'> & {
  autoCheckoutAt?: string | null;
};

export const updateSiteSchema = z.strictObject({
  name: venueNameSchema.optional(),
  timezone: timezoneSchema.optional(),
  dailyCapacity: capacitySchema.nullable().optional(),
  agePolicy: agePolicySchema.nullable().optional(),
  autoCheckoutAt: autoCheckoutSchema.optional(),
});
export type UpdateSite = z.infer<typeof updateSiteSchema>;

export const zoneSchema = z
  .object({
    siteId: venueIdSchema,
    id: venueIdSchema,
    name: venueNameSchema,
    capacity: capacitySchema.nullable().describe('区域内同时在园上限 / Visitors inside at once; null = none'),
    active: activeSchema,
    createdAt: epochMs,
    updatedAt: epochMs,
  })
  .meta({ id: 'Zone' });
export type Zone = z.infer<typeof zoneSchema>;

export const createZoneSchema = z.strictObject({
  id: venueIdSchema,
  name: venueNameSchema,
  capacity: capacitySchema.nullable().default(null),
  active: activeSchema.default(true),
});
export type CreateZone = z.infer<typeof createZoneSchema>;

export const updateZoneSchema = z.strictObject({
  name: venueNameSchema.optional(),
  capacity: capacitySchema.nullable().optional(),
  active: activeSchema.optional(),
});
export type UpdateZone = z.infer<typeof updateZoneSchema>;

export const windowSchema = z
  .object({
    siteId: venueIdSchema,
    id: venueIdSchema.describe('窗口代码，如 W01 / Window code, e.g. W01'),
    name: venueNameSchema,
    active: activeSchema,
    createdAt: epochMs,
    updatedAt: epochMs,
  })
  .meta({ id: 'TicketWindow' });
export type TicketWindow = z.infer<typeof windowSchema>;

export const createWindowSchema = z.strictObject({
  id: venueIdSchema,
  name: venueNameSchema,
  active: activeSchema.default(true),
});
export type CreateWindow = z.infer<typeof createWindowSchema>;

export const updateWindowSchema = z.strictObject({
  name: venueNameSchema.optional(),
  active: activeSchema.optional(),
});
export type UpdateWindow = z.infer<typeof updateWindowSchema>;

export const GATE_KINDS = ['tripod', 'flap', 'swing'] as const;
const gateDirectionSchema = z
  .enum(GATE_DIRECTIONS)
  .describe('通行方向：in 进、out 出、both 双向 / Passage direction');
const gateKindSchema = z.enum(GATE_KINDS).describe('闸机类型：三辊闸、翼闸、摆闸 / Turnstile type');

export const gateSchema = z
  .object({
    id: venueIdSchema.describe(
      '全系统唯一，出现在 MQTT 主题中 / Unique installation-wide; used in MQTT topics',
    ),
    siteId: venueIdSchema,
    zoneId: venueIdSchema,
    direction: gateDirectionSchema,
    kind: gateKindSchema,
    name: venueNameSchema,
    active: activeSchema,
    createdAt: epochMs,
    updatedAt: epochMs,
  })
  .meta({ id: 'Gate' });
export type Gate = z.infer<typeof gateSchema>;

export const createGateSchema = z.strictObject({
  id: gateSchema.shape.id,
  zoneId: venueIdSchema,
  direction: gateDirectionSchema,
  kind: gateKindSchema,
  name: venueNameSchema,
  active: activeSchema.default(true),
});
export type CreateGate = z.infer<typeof createGateSchema>;

export const updateGateSchema = z.strictObject({
  zoneId: venueIdSchema.optional(),
  direction: gateDirectionSchema.optional(),
  kind: gateKindSchema.optional(),
  name: venueNameSchema.optional(),
  active: activeSchema.optional(),
});
export type UpdateGate = z.infer<typeof updateGateSchema>;

/**
 * Paging of the venue lists: ordered by id, `limit` per page (default 50, at most 500); `after` is the `next` of
 * the previous page (the last id it held), null on the last page. Keyset paging: an insert or delete between
 * pages neither repeats nor skips the rows that stay.
 */
export const pageQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(500).default(50).describe('每页条数 / Page size (1–500)'),
  after: venueIdSchema.optional().describe('翻页游标：上一页返回的 next / Cursor: the previous page’s next'),
});
export type PageQuery = z.infer<typeof pageQuerySchema>;

export interface Page<T> {
  readonly items: T[];
  readonly next: string | null;
}

const nextSchema = z
  .string()
  .nullable()
  .describe('下一页游标，最后一页为 null / Cursor of the next page; null on the last');
export const sitePageSchema = z
  .object({ sites: z.array(siteSchema), next: nextSchema })
  .meta({ id: 'SitePage' });
export const zonePageSchema = z
  .object({ zones: z.array(zoneSchema), next: nextSchema })
  .meta({ id: 'ZonePage' });
export const windowPageSchema = z
  .object({ windows: z.array(windowSchema), next: nextSchema })
  .meta({ id: 'WindowPage' });
export const gatePageSchema = z
  .object({ gates: z.array(gateSchema), next: nextSchema })
  .meta({ id: 'GatePage' });
