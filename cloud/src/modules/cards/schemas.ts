/** Request and response shapes of the cards API (IC cards and wristbands). Money is integer fen throughout. */
import { z } from 'zod';
import { PAYMENT_METHODS } from '../sales/schemas.js';
import { venueIdSchema } from '../venues/schemas.js';
import { CARD_ACTIONS, CARD_STATUSES } from './tables.js';

/** A UID as typed or read (normalised by the service: protocol checkCardUid). */
const uidSchema = z.string().trim().min(1).max(64).describe('IC 卡号 / IC card UID');

export const cardParamsSchema = z.object({ uid: uidSchema });

export const cardEventSchema = z.object({
  at: z.number().int(),
  action: z.enum(CARD_ACTIONS),
  ticketId: z.number().int().nullable(),
  depositFen: z
    .number()
    .int()
    .describe('押金变动（收正退负）/ Deposit moved: charged positive, refunded negative'),
  actorId: z.string().nullable(),
  otherUid: z.string().nullable().describe('被替换或替换的卡 / The card replaced, or its replacement'),
  sourceId: z.string().nullable(),
});

export const cardSchema = z.object({
  uid: z.string(),
  siteId: z.string(),
  status: z.enum(CARD_STATUSES),
  ticketId: z.number().int().nullable(),
  depositFen: z.number().int().describe('卡上押金 / Deposit the card holds'),
  replacedBy: z.string().nullable(),
  createdAt: z.number().int(),
  updatedAt: z.number().int(),
  history: z.array(cardEventSchema).describe('卡片记录，旧的在前 / The card’s history, oldest first'),
});
export type CardView = z.infer<typeof cardSchema>;

export const reportLostSchema = z.strictObject({
  /** `blocked` stops a card that is not lost (found misused, damaged); both refuse it at every gate. */
  status: z.enum(['lost', 'blocked']).default('lost').describe('挂失或停用 / Lost or blocked'),
});

export const replaceCardSchema = z.strictObject({
  newCardUid: uidSchema.describe('补发的新卡号 / The replacement card’s UID'),
});

export const cardReplacementSchema = z.object({ old: cardSchema, replacement: cardSchema });

export const createCardReturnSchema = z.strictObject({
  cardUid: uidSchema,
  windowId: venueIdSchema.describe('退卡窗口 / Window the card is handed back at'),
  method: z.enum(PAYMENT_METHODS).default('cash').describe('退押金方式 / How the deposit is paid back'),
});
export type CreateCardReturn = z.infer<typeof createCardReturnSchema>;

export const cardReturnSchema = z.object({
  id: z.string(),
  cardUid: z.string(),
  siteId: z.string(),
  ticketId: z.number().int(),
  windowId: z.string(),
  method: z.enum(PAYMENT_METHODS),
  depositFen: z.number().int().describe('退还押金 / Deposit refunded'),
  at: z.number().int(),
});
export type CardReturn = z.infer<typeof cardReturnSchema>;

export const depositParamsSchema = z.object({ siteId: venueIdSchema });
export const depositRateSchema = z.strictObject({
  depositFen: z.number().int().min(0).max(100_000_00).describe('每张卡押金（分）/ Deposit per card, fen'),
});
export const depositRateViewSchema = z.object({ siteId: z.string(), depositFen: z.number().int() });
