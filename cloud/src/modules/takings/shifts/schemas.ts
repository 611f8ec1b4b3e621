/**
 * Request and response shapes of the cashier shifts API (交接班 / 营业员日结). Money is integer fen; the API gives codes
 * (states, sources, methods, denominations) and the console turns them into words in its language.
 */
import { z } from 'zod';
import { bilingual } from '../../../platform/validation.js';
import { isoDateSchema } from '../../capacity/schemas.js';
import { venueIdSchema } from '../../venues/schemas.js';
import { TAKING_METHODS, TAKING_SOURCES } from '../contract.js';
import { SHIFT_EVENT_KINDS, SHIFT_STATES } from './tables.js';

/** At most 1,000,000 yuan in one figure: a typo of a few zeros is refused, not booked. */
export const MAX_FEN = 100_000_000;
const fen = z.number().int();
const epochMs = z.number().int().describe('Epoch milliseconds');
const reasonSchema = z.string().trim().min(1).max(200);

/** Notes and coins a till is counted in, as codes, and their value in fen. */
export const DENOMINATIONS = {
  y100: 10_000,
  y50: 5_000,
  y20: 2_000,
  y10: 1_000,
  y5: 500,
  y1: 100,
  j5: 50,
  j1: 10,
} as const;
export type Denomination = keyof typeof DENOMINATIONS;
export const DENOMINATION_CODES = Object.keys(DENOMINATIONS) as Denomination[];

/** Tenders a cashier settles apart from cash: what the card terminal or the QR platform's settlement shows. */
export const NON_CASH_METHODS = ['bank_card', 'wechat', 'alipay', 'points', 'agency_account'] as const;
export type NonCashMethod = (typeof NON_CASH_METHODS)[number];

/** Tenders an adjustment may correct. */
export const ADJUSTABLE_METHODS = ['cash', 'bank_card', 'wechat', 'alipay', 'points'] as const;

export const shiftParamsSchema = z.object({ shiftId: z.uuid().describe('班次编号 / Shift id') });

export const openShiftSchema = z
  .strictObject({
    siteId: venueIdSchema,
    windowId: venueIdSchema.describe('售票窗口 / Ticket window'),
    floatFen: fen
      .min(0)
      .max(MAX_FEN)
      .optional()
      .describe('备用金（分）；接班时可不填，取交班实点现金 / The float, fen; left out when taking over'),
    handoverFrom: z
      .uuid()
      .optional()
      .describe(
        '接班：交班的班次编号，其实点现金即本班备用金 / Taking over: the handed-over shift, whose counted cash is this float',
      ),
  })
  .refine(
    (body) => body.floatFen !== undefined || body.handoverFrom !== undefined,
    bilingual({
      'zh-CN': '须填写备用金 floatFen，或接班的 handoverFrom',
      en: 'give the float (floatFen) or the shift taken over (handoverFrom)',
    }),
  )
  .describe('开班 / Open a shift');
export type OpenShift = z.infer<typeof openShiftSchema>;

export const movementSchema = z
  .strictObject({
    amountFen: fen.min(1).max(MAX_FEN),
    reason: reasonSchema.describe('事由 / Reason'),
  })
  .describe('上缴或支出：从钱箱取出的现金 / A drop or payout: cash taken out of the till');
export type Movement = z.infer<typeof movementSchema>;

const denominationsSchema = z
  .strictObject(
    Object.fromEntries(
      DENOMINATION_CODES.map((code) => [code, z.number().int().min(0).max(1_000_000).optional()]),
    ),
  )
  .describe(
    '按面额清点的张（枚）数：y100/y50/y20/y10/y5/y1 元，j5/j1 角；合计须等于实点现金 / Count by denomination ' +
      '(yuan notes y100…y1, jiao j5 and j1); must sum to the counted cash',
  );

const recordedSchema = z
  .strictObject(
    Object.fromEntries(NON_CASH_METHODS.map((method) => [method, fen.min(-MAX_FEN).max(MAX_FEN).optional()])),
  )
  .describe(
    '非现金结算单上的金额（分，可为负：退款多于收款），不填的方式不核对 / What each non-cash settlement shows, ' +
      'fen (negative when refunds exceed takings); a method left out is not compared',
  );

const countFields = {
  countedCashFen: fen.min(0).max(MAX_FEN).describe('实点现金（分）/ Cash counted, fen'),
  denominations: denominationsSchema.optional(),
  recorded: recordedSchema.optional(),
  note: z.string().trim().max(200).optional().describe('备注 / Note'),
};

export const closeShiftSchema = z
  .strictObject(countFields)
  .describe('收班：清点钱箱 / Close: the till counted');
export type CloseShift = z.infer<typeof closeShiftSchema>;

export const handoverSchema = z
  .strictObject({
    ...countFields,
    toCashierId: z.string().min(1).max(64).describe('接班收银员 / The cashier taking over'),
  })
  .describe(
    '交班：清点并收班，实点现金留在钱箱交给接班人作备用金 / Hand over: count and close; the counted cash stays in ' +
      'the till as the next cashier’s float',
  );
export type Handover = z.infer<typeof handoverSchema>;

export const approveSchema = z
  .strictObject({ note: reasonSchema.describe('审批意见 / Approval note') })
  .describe('审批长短款 / Approve the variance');
export type Approve = z.infer<typeof approveSchema>;

export const adjustmentSchema = z
  .strictObject({
    method: z.enum(ADJUSTABLE_METHODS),
    amountFen: fen
      .min(-MAX_FEN)
      .max(MAX_FEN)
      .refine((value) => value !== 0, bilingual({ 'zh-CN': '不能为 0', en: 'must not be 0' }))
      .describe(
        '更正金额（分）：多点多收为正，少为负 / The correction, fen: more counted or recorded positive',
      ),
    reason: reasonSchema.describe('原因 / Reason'),
  })
  .describe('调整已结班次（记在调整当天）/ Adjust a closed shift (counted on the day it is made)');
export type Adjustment = z.infer<typeof adjustmentSchema>;

export const listShiftsQuerySchema = z.object({
  siteId: venueIdSchema.optional(),
  windowId: venueIdSchema.optional(),
  cashierId: z.string().min(1).max(64).optional(),
  state: z.enum(SHIFT_STATES).optional(),
  from: isoDateSchema.optional().describe('开班日期起（含）/ Opened on or after'),
  to: isoDateSchema.optional().describe('开班日期止（含）/ Opened on or before'),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
});
export type ListShiftsQuery = z.infer<typeof listShiftsQuerySchema>;

const whoSchema = z.object({ id: z.string().nullable(), username: z.string() });

export const shiftSchema = z
  .object({
    id: z.string(),
    siteId: z.string(),
    windowId: z.string(),
    cashier: z.object({ id: z.string(), username: z.string() }),
    state: z.enum(SHIFT_STATES),
    blind: z
      .boolean()
      .describe('盲点：收班前不显示应有现金 / Blind count: no expected cash shown before counting'),
    floatFen: fen,
    openedAt: epochMs,
    openDate: z.string(),
    closedAt: epochMs.nullable(),
    closeDate: z.string().nullable(),
    closedBy: whoSchema.nullable(),
    handoverFrom: z.string().nullable().describe('接的是哪一班 / The shift this one took over'),
    handoverToCashierId: z.string().nullable().describe('交给谁接班 / Who may take this till over'),
    takenOverBy: z.string().nullable().describe('接班的班次 / The shift that took this till over'),
    countedCashFen: fen.nullable(),
    expectedCashFen: fen.nullable(),
    varianceFen: fen.nullable().describe('长款为正、短款为负 / Over positive, short negative'),
    thresholdFen: fen.nullable(),
    note: z.string().nullable(),
    approval: z.object({ by: whoSchema, at: epochMs, note: z.string() }).nullable(),
  })
  .meta({ id: 'TillShift' });
export type Shift = z.infer<typeof shiftSchema>;

export const shiftEventSchema = z
  .object({
    id: z.string(),
    shiftId: z.string(),
    kind: z.enum(SHIFT_EVENT_KINDS),
    method: z.enum(TAKING_METHODS),
    amountFen: fen,
    reason: z.string().nullable(),
    at: epochMs,
    date: z.string().describe('所计日期（景区当地）/ The site-local day it counts on'),
    by: whoSchema,
  })
  .meta({ id: 'TillShiftEvent' });
export type ShiftEvent = z.infer<typeof shiftEventSchema>;

export const shiftListSchema = z
  .object({ shifts: z.array(shiftSchema), total: z.number().int() })
  .meta({ id: 'TillShiftList' });

export const myShiftsSchema = z
  .object({
    open: z.array(shiftSchema).describe('本人未结班次 / The caller’s open shifts'),
    handoversToMe: z
      .array(shiftSchema)
      .describe('交给本人、尚未接班的班次 / Shifts handed over to the caller'),
  })
  .meta({ id: 'MyTillShifts' });

export const shiftReportSchema = z
  .object({
    shift: shiftSchema,
    expectedHidden: z
      .boolean()
      .describe(
        '盲点且未收班：不显示应有金额与收款明细 / Blind and not yet closed: no expected figures or takings shown',
      ),
    cash: z
      .object({
        floatFen: fen,
        salesFen: fen,
        refundsFen: fen.describe('退款付出的现金（负数）/ Cash paid out by refunds (negative)'),
        supplementsFen: fen,
        ordersFen: fen,
        payoutsFen: fen,
        dropsFen: fen,
        expectedFen: fen.describe(
          '= 备用金 + 现金收款（含退款负数）− 支出 − 上缴 / = float + cash takings (refunds negative) − payouts − drops',
        ),
        countedFen: fen.nullable(),
        varianceFen: fen.nullable(),
        adjustmentsFen: fen,
        adjustedVarianceFen: fen.nullable().describe('计入调整后的差额 / The variance after adjustments'),
        denominations: z
          .array(
            z.object({
              code: z.enum(DENOMINATION_CODES as [Denomination, ...Denomination[]]),
              valueFen: fen,
              count: z.number().int(),
              amountFen: fen,
            }),
          )
          .nullable(),
      })
      .nullable(),
    tenders: z.array(
      z.object({
        method: z.enum(NON_CASH_METHODS),
        expectedFen: fen.describe('流水中该方式的收款 / What the journal took by this method'),
        recordedFen: fen.nullable().describe('收银员录入的结算金额 / What the cashier recorded'),
        differenceFen: fen.nullable().describe('= 录入 − 应有 / = recorded − expected'),
        adjustmentsFen: fen,
      }),
    ),
    sources: z.array(
      z.object({
        source: z.enum(TAKING_SOURCES),
        count: z.number().int(),
        amountFen: fen,
        tickets: z.number().int(),
        persons: z.number().int(),
      }),
    ),
    ticketTypes: z.array(
      z.object({
        typeId: z.number().int(),
        tickets: z.number().int(),
        persons: z.number().int(),
        amountFen: fen,
      }),
    ),
    drops: z.array(shiftEventSchema),
    payouts: z.array(shiftEventSchema),
    adjustments: z.array(shiftEventSchema),
  })
  .meta({ id: 'TillShiftReport' });
export type ShiftReport = z.infer<typeof shiftReportSchema>;
