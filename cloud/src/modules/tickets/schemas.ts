/**
 * The ticket read model — what receipts, lookups and printing (modules/printing) show — and the feed shapes.
 * Amounts are integer fen; instants epoch ms; `visitDate` a venue-local date.
 */
import { CREDENTIAL_STATUSES, credentialRecordSchema, typeIdSchema } from '@scenic/protocol';
import { z } from 'zod';
import { venueIdSchema } from '../venues/schemas.js';

export const FEED_OPS = ['issue', 'activate', 'use', 'refund', 'revoke', 'update'] as const;
export type FeedOp = (typeof FEED_OPS)[number];

const epochMs = z.number().int();

export const ticketSchema = z
  .object({
    ticketId: z.number().int().describe('票号，二维码中的 ticketId / Ticket id, as in the QR code'),
    siteId: venueIdSchema,
    typeId: typeIdSchema,
    typeVersion: z.number().int().describe('售出时的票种版本 / Ticket type version it was sold under'),
    typeName: z.object({ zh: z.string(), en: z.string() }),
    kind: z.string().describe('票种类别 / Ticket kind (single, count, group, …)'),
    status: z.enum(CREDENTIAL_STATUSES),
    visitDate: z.string().describe('游玩日 / Visit date (venue-local)'),
    validFrom: epochMs.describe('生效（含）/ Valid from, inclusive'),
    validTo: epochMs.describe('失效（不含）/ Valid until, exclusive'),
    entriesTotal: z
      .number()
      .int()
      .nullable()
      .describe(
        '可入园次数，null 不限；团队码按人次计（人数 × 每人次数）/ Entries; null = unlimited; a group code counts in persons (persons × entries each)',
      ),
    entriesUsed: z.number().int(),
    persons: z
      .number()
      .int()
      .describe('团队人数：一次检票最多通过的人数 / Group size: the most persons one scan admits'),
    slot: z
      .object({ id: z.string(), start: epochMs, end: epochMs })
      .nullable()
      .describe('预约时段 / Timed-entry slot'),
    holder: z
      .object({ name: z.string(), idMasked: z.string() })
      .nullable()
      .describe('实名游客（证件号已脱敏）/ Real-name holder, ID masked'),
    priceFen: z.number().int().describe('实收票价（分）/ Price paid, fen'),
    saleId: z.string().nullable(),
    saleLine: z.number().int().nullable(),
    qrText: z
      .string()
      .nullable()
      .describe('二维码内容（122 字符 base45）/ QR content, 122 base45 characters'),
    keyId: z.number().int().nullable(),
    flags: z.number().int().describe('protocol QR_FLAGS'),
    barcode: z.string().nullable().describe('预印票条码 / Pre-printed stock barcode'),
    cardUid: z.string().nullable(),
    createdAt: epochMs,
    updatedAt: epochMs,
  })
  .meta({ id: 'Ticket' });
export type Ticket = z.infer<typeof ticketSchema>;

export const feedEntrySchema = z
  .object({
    version: z.number().int(),
    ticketId: z.number().int(),
    op: z.enum(FEED_OPS),
    record: credentialRecordSchema,
    at: epochMs,
  })
  .meta({ id: 'WhitelistFeedEntry' });
export type FeedEntry = z.infer<typeof feedEntrySchema>;

export const feedPageSchema = z
  .object({
    siteId: venueIdSchema,
    headVersion: z.number().int().describe('景区最新版本 / The site’s latest version'),
    entries: z.array(feedEntrySchema),
  })
  .meta({ id: 'WhitelistFeedPage' });
export type FeedPage = z.infer<typeof feedPageSchema>;

export const snapshotSchema = z
  .object({
    siteId: venueIdSchema,
    version: z.number().int().describe('快照对应的版本 / Feed version the snapshot is consistent with'),
    records: z.array(credentialRecordSchema),
  })
  .meta({ id: 'WhitelistSnapshot' });
export type Snapshot = z.infer<typeof snapshotSchema>;

export const feedQuerySchema = z.object({
  siteId: venueIdSchema,
  after: z.coerce
    .number()
    .int()
    .min(0)
    .default(0)
    .describe('返回此版本之后的变更 / Changes after this version'),
  limit: z.coerce.number().int().min(1).max(5000).default(500),
});

export const ticketParamsSchema = z.object({
  ticketId: z.coerce
    .number()
    .int()
    .min(1)
    .max(2 ** 40 - 1),
});

export const publicKeySchema = z
  .object({
    keyId: z.number().int(),
    publicKey: z.string().describe('Ed25519 公钥，32 字节 base64 / Ed25519 public key, base64 of 32 bytes'),
    status: z.enum(['active', 'retired']),
    createdAt: epochMs,
  })
  .meta({ id: 'SigningPublicKey' });
