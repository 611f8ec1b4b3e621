/** Request and response shapes of the passages API (通行记录): the list, the day summary and the push stream. */
import { CREDENTIAL_KINDS, DECISION_REASONS, DIRECTIONS } from '@scenic/protocol';
import { z } from 'zod';
import { bilingual } from '../../platform/validation.js';
import { isoDateSchema } from '../capacity/schemas.js';
import { venueIdSchema } from '../venues/schemas.js';
import { decodePassageCursor } from './cursor.js';

export const PASSAGE_KINDS = ['passage', 'denial'] as const;
const epochMs = z.coerce.number().int().min(0).max(8.64e15);

export const passageItemSchema = z
  .object({
    eventId: z.string().describe('闸机生成的事件号 / The gate-generated event id'),
    kind: z.enum(PASSAGE_KINDS).describe('passage = 通行, denial = 拒绝'),
    siteId: z.string(),
    zoneId: z.string().describe('The gate’s zone when the event was stored'),
    gateId: z.string(),
    ticketId: z.number().int().nullable().describe('null for a denial whose credential was not resolved'),
    credentialKind: z
      .string()
      .nullable()
      .describe(`${CREDENTIAL_KINDS.join(', ')}; null when unclassified`),
    direction: z.enum(DIRECTIONS),
    persons: z
      .number()
      .int()
      .describe(
        '通过人数（团队码为闸机实际计数）；拒绝为 0 / Headcount: persons who went through (a group pass as the gate counted it); 0 for a denial',
      ),
    at: z.number().int().describe('Gate clock, epoch ms'),
    receivedAt: z.number().int().describe('Cloud clock, epoch ms'),
    decidedOffline: z.boolean().nullable().describe('Decided from the gate’s cache alone; null for a denial'),
    entriesLeft: z.number().int().nullable().describe('Entries left after the passage; null = unlimited'),
    unconfirmed: z
      .boolean()
      .describe(
        '未确认通行：闸机放行后、检测到通过前重启，按放行记录补报 / The gate restarted after releasing the turnstile ' +
          'and before its passage sensor spoke, and reported the admit it had written down',
      ),
    reason: z
      .string()
      .nullable()
      .describe('Denial reason code (protocol DECISION_REASONS); null for a passage'),
    conflict: z
      .string()
      .nullable()
      .describe(
        '离线冲突：闸机离线放行、云端按扫码时刻会拒绝的原因（如 USED、ENTRIES_EXHAUSTED、REFUNDED）；否则 null / ' +
          'Offline conflict: the reason the cloud would have refused this passage, decided offline, at its scan time',
      ),
    overdraft: z
      .number()
      .int()
      .describe('超用次数：通行时票已无剩余次数仍计入的次数 / Entries used beyond what the ticket had left'),
  })
  .meta({ id: 'PassageEvent' });
export type PassageItem = z.infer<typeof passageItemSchema>;

export const listPassagesQuerySchema = z.object({
  siteId: venueIdSchema.optional(),
  zoneId: venueIdSchema.optional(),
  gateId: venueIdSchema.optional(),
  kind: z.enum(PASSAGE_KINDS).optional(),
  reason: z.enum(DECISION_REASONS).exclude(['OK']).optional().describe('Denial reason code'),
  ticketId: z.coerce
    .number()
    .int()
    .min(1)
    .max(2 ** 40 - 1)
    .optional(),
  conflict: z
    .enum(['true', 'false'])
    .transform((text) => text === 'true')
    .optional()
    .describe('true = 只看离线冲突 / Only offline conflicts; false = none of them'),
  from: epochMs.optional().describe('起（含）epoch ms / From, inclusive (gate clock)'),
  to: epochMs.optional().describe('止（不含）epoch ms / To, exclusive (gate clock)'),
  before: z
    .string()
    .max(200)
    .refine(
      (text) => decodePassageCursor(text) !== undefined,
      bilingual({ 'zh-CN': '翻页游标无效', en: 'invalid page cursor' }),
    )
    .optional()
    .describe('翻页游标 / Cursor from the previous page (`next`)'),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export type ListPassagesQuery = z.infer<typeof listPassagesQuerySchema>;

export const passagePageSchema = z
  .object({
    items: z.array(passageItemSchema),
    next: z.string().nullable().describe('Cursor of the next (older) page; null on the last page'),
  })
  .meta({ id: 'PassagePage' });

export const passageSummaryQuerySchema = z.object({
  date: isoDateSchema.optional().describe('营业日（景区当地日期，默认今天）/ Business day, default today'),
  siteId: venueIdSchema.optional(),
});

const reasonCountSchema = z.object({ reason: z.string(), count: z.number().int() });

const figuresShape = {
  entries: z.number().int().describe('入园人次 / Persons in'),
  exits: z.number().int().describe('出园人次 / Persons out'),
  denials: z.number().int().describe('拒绝次数 / Denied scans'),
  denialsByReason: z.array(reasonCountSchema).describe('Most frequent first'),
  conflicts: z
    .number()
    .int()
    .describe(
      '离线冲突（离线放行、云端会拒绝的通行）/ Offline conflicts: passages the cloud would have refused',
    ),
};

export const passageSummarySchema = z
  .object({
    date: z.string(),
    ...figuresShape,
    sites: z.array(
      z.object({
        siteId: z.string(),
        timeZone: z.string(),
        from: z.number().int().describe('Start of the day in the site’s time zone, epoch ms'),
        to: z.number().int().describe('End of the day (exclusive), epoch ms'),
        ...figuresShape,
      }),
    ),
  })
  .meta({ id: 'PassageDaySummary' });
export type PassageSummary = z.infer<typeof passageSummarySchema>;

export const passageStreamQuerySchema = z.object({ siteId: venueIdSchema.optional() });
