/** The validity lookup's query and answer (票效查询). */
import { DECISION_REASONS } from '@scenic/protocol';
import { z } from 'zod';
import { refundSchema } from '../refunds/schemas.js';
import { saleSummarySchema } from '../sales/schemas.js';
import { supplementSchema } from '../supplements/schemas.js';
import { ticketSchema } from '../tickets/schemas.js';
import { venueIdSchema } from '../venues/schemas.js';

export const lookupQuerySchema = z
  .object({
    code: z
      .string()
      .min(1)
      .max(512)
      .optional()
      .describe('扫到的二维码文本或条码 / Scanned QR text or barcode'),
    cardUid: z.string().min(1).max(64).optional().describe('IC 卡号 / IC card UID'),
    idNumber: z.string().min(1).max(32).optional().describe('身份证号 / Resident ID number'),
    gateId: venueIdSchema.optional().describe('按此闸机判断能否通行 / Judge passage at this gate'),
    direction: z.enum(['in', 'out']).default('in'),
  })
  .refine((q) => [q.code, q.cardUid, q.idNumber].filter((v) => v !== undefined).length === 1, {
    message: 'give exactly one of code, cardUid, idNumber',
  });
export type LookupQuery = z.infer<typeof lookupQuerySchema>;

export const credentialCheckSchema = z.object({
  input: z.enum(['qr', 'barcode', 'card', 'id_number', 'unrecognised']),
  check: z
    .enum([
      'OK',
      'MALFORMED',
      'UNSUPPORTED_VERSION',
      'UNKNOWN_KEY',
      'BAD_SIGNATURE',
      'EXPIRED',
      'NOT_YET_VALID',
      'BAD_CHECK_DIGIT',
      'UNRECOGNISED',
    ])
    .describe(
      '凭证本身的校验：BAD_SIGNATURE 为伪造或篡改 / The credential itself: BAD_SIGNATURE = forged or altered',
    ),
  forged: z.boolean(),
  message: z.string(),
});

export const lookupEntrySchema = z.object({
  ticket: ticketSchema,
  entriesLeft: z.number().int().nullable(),
  activation: z
    .object({
      latest: z.number().int().describe('最晚激活时间（不含）/ Latest activation instant, exclusive'),
      period: z.object({ unit: z.enum(['day', 'month']), count: z.number().int() }),
      firstEntryAt: z
        .number()
        .int()
        .nullable()
        .describe('首次入园（激活）时间，null 未激活 / The first entry (activation); null = not yet'),
      validUntil: z
        .number()
        .int()
        .nullable()
        .describe('激活后有效至（不含）/ Valid until, exclusive, once activated'),
    })
    .nullable()
    .describe('首次入园起算的有效期，其他票为 null / Validity from the first entry; null for other tickets'),
  visitDays: z
    .object({
      allowed: z.number().int().describe('有效期内可游玩天数 / Visit days the type allows'),
      used: z.number().int().describe('已用天数 / Visit days used'),
      days: z.array(z.string()).describe('已游玩的日期（景区当地）/ The local dates entered on, ascending'),
    })
    .nullable()
    .describe('任选 N 天的票种，其他票为 null / Types with visit days; null otherwise'),
  presence: z
    .object({
      state: z
        .enum(['never', 'inside', 'outside'])
        .describe(
          '未入园、园内、已出园（按最近一次通行）/ Never entered, inside, or outside (by the latest passage)',
        ),
      lastEntryAt: z.number().int().nullable(),
      lastExitAt: z.number().int().nullable(),
      reentry: z
        .object({
          until: z
            .number()
            .int()
            .nullable()
            .describe('当日再入园截止（当地分钟），null 全天 / Cut-off, local minute; null = all day'),
        })
        .nullable()
        .describe('票种允许当日再入园时的规则，否则 null / The same-day re-entry rule, if the type has one'),
    })
    .describe('进出状态 / Whether the holder is inside, from the passages'),
  verdict: z.object({
    admit: z.boolean(),
    reason: z.enum(DECISION_REASONS),
    gateId: z
      .string()
      .nullable()
      .describe('null：未指定闸机，不判断区域与闸机 / No gate: zones and gates not judged'),
    at: z.number().int(),
  }),
  passages: z.array(
    z.object({
      kind: z.enum(['passage', 'denial']),
      gateId: z.string(),
      direction: z.enum(['in', 'out']),
      persons: z.number().int(),
      at: z.number().int(),
      reason: z.string().nullable(),
      conflict: z
        .string()
        .nullable()
        .describe(
          '离线冲突原因（云端按扫码时刻会拒绝）/ Offline conflict: why the cloud would have refused it',
        ),
      overdraft: z.number().int().describe('超用次数 / Entries used beyond what the ticket had left'),
    }),
  ),
  conflicts: z
    .object({
      count: z.number().int().describe('离线冲突次数 / Offline conflicts of the ticket'),
      overdraft: z
        .number()
        .int()
        .describe(
          '超用次数合计（剩余次数不会小于 0）/ Entries used beyond the count (what is left never goes below 0)',
        ),
    })
    .describe('离线冲突 / Offline conflicts: passages decided offline the cloud would have refused'),
  sale: saleSummarySchema.nullable(),
  refunds: z.array(refundSchema),
  supplements: z.array(supplementSchema),
});

export const lookupResultSchema = z
  .object({ credential: credentialCheckSchema, tickets: z.array(lookupEntrySchema) })
  .meta({ id: 'ValidityLookup' });
export type LookupResult = z.infer<typeof lookupResultSchema>;
export type LookupEntry = z.infer<typeof lookupEntrySchema>;
export type CredentialCheck = z.infer<typeof credentialCheckSchema>;
