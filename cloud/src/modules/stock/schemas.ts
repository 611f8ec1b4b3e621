/** Request and response shapes of the ticket stock API; the same zod schemas validate input and document /docs. */
import { idStringSchema, typeIdSchema } from '@scenic/protocol';
import { z } from 'zod';
import {
  type OperatorChoice,
  operatorChoiceSchema,
  operatorSearchSchema,
} from '../../platform/auth/schemas.js';
import { bilingual } from '../../platform/validation.js';

const epochMs = z.number().int().describe('Epoch milliseconds');
const batchIdSchema = z.number().int().min(1).describe('批次编号 / Batch id');
const stateSchema = z
  .enum(['in_warehouse', 'issued', 'sold', 'voided'])
  .describe('状态：在库、已出仓、已售、已作废 / State: in the warehouse, issued to a cashier, sold, voided');
const operatorIdSchema = z.string().min(1).max(64).describe('操作员编号 / Operator id');

/** What a scanner or a cashier typed; normalised and checked by the service. */
const codeInputSchema = z.string().min(1).max(64).describe('票号（条码数字）/ Code (barcode digits)');
const noteSchema = z.string().trim().max(200).describe('备注 / Note');

export const MAX_GENERATE = 50_000;
export const MAX_CODES_PER_REQUEST = 10_000;
export const MAX_RANGE = 50_000;
/** Refusal details list at most this many codes; the message states the full count. */
export const DETAIL_LIMIT = 1_000;

export const generateBatchSchema = z.strictObject({
  ticketTypeId: typeIdSchema.describe('票种编号 / Ticket type id'),
  count: z
    .number()
    .int()
    .min(1)
    .max(MAX_GENERATE)
    .describe(
      '生成张数（12 位随机码，含 Damm 校验位）/ Codes to generate (12 random digits with a Damm check digit)',
    ),
  note: noteSchema.optional(),
});
export type GenerateBatch = z.infer<typeof generateBatchSchema>;

export const importBatchSchema = z.strictObject({
  ticketTypeId: typeIdSchema.describe('票种编号 / Ticket type id'),
  codes: z
    .array(codeInputSchema)
    .min(1)
    .max(MAX_CODES_PER_REQUEST)
    .describe(
      '已印制票号，校验位必须正确；有误则整批不导入 / Pre-printed codes; any bad one rejects the whole list',
    ),
  note: noteSchema.optional(),
});
export type ImportBatch = z.infer<typeof importBatchSchema>;

const rangeSchema = z
  .strictObject({
    batchId: batchIdSchema,
    fromSeq: z.number().int().min(1).describe('起始序号（含）/ First sequence number, inclusive'),
    toSeq: z.number().int().min(1).describe('结束序号（含）/ Last sequence number, inclusive'),
  })
  .refine(
    (range) => range.toSeq >= range.fromSeq && range.toSeq - range.fromSeq < MAX_RANGE,
    bilingual({
      'zh-CN': `结束序号不能小于起始序号，一次最多 ${MAX_RANGE} 张`,
      en: `toSeq must not be below fromSeq, at most ${MAX_RANGE} codes at once`,
    }),
  )
  .describe('批次内连续的一段票号 / A contiguous run of codes within a batch');

/** Either listed codes or a range of one batch. */
const selectionFields = {
  codes: z
    .array(codeInputSchema)
    .min(1)
    .max(MAX_CODES_PER_REQUEST)
    .optional()
    .describe('逐个列出的票号 / Codes listed one by one'),
  range: rangeSchema.optional(),
};
const oneSelection = bilingual({
  'zh-CN': '须给出 codes 或 range 之一',
  en: 'give exactly one of codes or range',
});
const hasOneSelection = (body: { codes?: unknown; range?: unknown }) =>
  (body.codes === undefined) !== (body.range === undefined);

export interface StockRange {
  readonly batchId: number;
  readonly fromSeq: number;
  readonly toSeq: number;
}
/** Exactly one of the two is present (the request schemas refuse anything else). */
export interface Selection {
  readonly codes?: readonly string[] | undefined;
  readonly range?: StockRange | undefined;
}

export const issueSchema = z
  .strictObject({
    cashierId: operatorIdSchema.describe(
      '领票的售票员（须有售票权限）/ The cashier receiving them (needs sales.sell)',
    ),
    ...selectionFields,
  })
  .refine(hasOneSelection, oneSelection);
export type IssueRequest = z.infer<typeof issueSchema>;

export const returnSchema = z
  .strictObject({
    cashierId: operatorIdSchema.describe('交回票的售票员 / The cashier handing them back'),
    ...selectionFields,
  })
  .refine(hasOneSelection, oneSelection);
export type ReturnRequest = z.infer<typeof returnSchema>;

export const voidSchema = z
  .strictObject({
    reason: z.string().trim().min(1).max(200).describe('作废原因（遗失、损坏…）/ Why: lost, damaged, …'),
    ...selectionFields,
  })
  .refine(hasOneSelection, oneSelection);
export type VoidRequest = z.infer<typeof voidSchema>;

export const batchSchema = z
  .object({
    batchId: batchIdSchema,
    siteId: idStringSchema,
    ticketTypeId: typeIdSchema,
    count: z.number().int(),
    source: z.enum(['generated', 'imported']).describe('生成或导入 / Generated here or imported'),
    note: z.string().nullable(),
    createdBy: z.string().nullable(),
    createdByUsername: z.string(),
    createdAt: epochMs,
  })
  .meta({ id: 'StockBatch' });
export type Batch = z.infer<typeof batchSchema>;

export const createdBatchSchema = batchSchema
  .extend({
    codes: z.array(z.string()).describe('本批票号，按序号排列 / The batch codes in sequence order'),
  })
  .meta({ id: 'StockBatchWithCodes' });
export type CreatedBatch = z.infer<typeof createdBatchSchema>;

export const batchQuerySchema = z.object({
  siteId: idStringSchema.optional(),
  ticketTypeId: z.coerce.number().pipe(typeIdSchema).optional(),
});
export const BATCH_CODES_PAGE = 100;

export const batchCodesQuerySchema = z.object({
  after: z.coerce
    .number()
    .int()
    .min(0)
    .default(0)
    .describe('上一页最后的序号（翻页用 next）/ The last sequence number of the previous page (its `next`)'),
  limit: z.coerce.number().int().min(1).max(500).default(BATCH_CODES_PAGE),
  state: stateSchema.optional(),
});

export const batchCodeSchema = z.object({
  code: z.string(),
  seq: z.number().int().describe('批次内序号 / Sequence number within the batch'),
  state: stateSchema,
  holderId: z.string().nullable(),
  holderUsername: z.string().nullable().describe('持有的售票员用户名 / The holding cashier’s username'),
  ticketId: z.string().nullable(),
  stateChangedAt: epochMs,
});
export type BatchCode = z.infer<typeof batchCodeSchema>;

export const batchCodePageSchema = z
  .object({
    items: z.array(batchCodeSchema),
    next: z
      .number()
      .int()
      .nullable()
      .describe('下一页的 after；最后一页为 null / `after` of the next page; null on the last'),
  })
  .meta({ id: 'StockBatchCodePage' });
export type BatchCodePage = z.infer<typeof batchCodePageSchema>;

/** Who may receive stock: picked like any operator (platform/auth/schemas.ts). */
export const cashierQuerySchema = operatorSearchSchema;
export const cashierSchema = operatorChoiceSchema;
export type Cashier = OperatorChoice;

export const batchParamsSchema = z.object({ batchId: z.coerce.number().pipe(batchIdSchema) });
export const codeParamsSchema = z.object({ code: codeInputSchema });

export const movedSchema = z
  .object({
    count: z.number().int().describe('改动的票号数 / Codes moved'),
    codes: z.array(z.string()).describe('改动的票号 / The codes moved'),
  })
  .meta({ id: 'StockMoved' });
export type Moved = z.infer<typeof movedSchema>;

export const movementSchema = z.object({
  kind: z.enum(['import', 'issue', 'return', 'sell', 'void']),
  fromState: stateSchema.nullable(),
  toState: stateSchema,
  fromHolder: z.string().nullable(),
  toHolder: z.string().nullable(),
  ticketId: z.string().nullable(),
  reason: z.string().nullable(),
  operatorId: z.string().nullable(),
  operatorUsername: z.string(),
  at: epochMs,
});
export type Movement = z.infer<typeof movementSchema>;

export const codeDetailSchema = z
  .object({
    code: z.string(),
    batchId: batchIdSchema,
    seq: z.number().int().describe('批次内序号 / Sequence number within the batch'),
    siteId: z.string(),
    ticketTypeId: typeIdSchema,
    state: stateSchema,
    holderId: z.string().nullable().describe('出仓后持有的售票员 / Cashier holding it while issued'),
    ticketId: z.string().nullable().describe('售出后对应的票 / The ticket it was sold as'),
    stateChangedAt: epochMs,
    movements: z.array(movementSchema).describe('出入仓流水，按时间先后 / Ledger entries, oldest first'),
  })
  .meta({ id: 'StockCode' });
export type CodeDetail = z.infer<typeof codeDetailSchema>;

export const warehouseBalanceSchema = z.object({
  siteId: z.string(),
  ticketTypeId: typeIdSchema,
  inWarehouse: z.number().int().describe('在库张数 / Codes in the warehouse'),
});
export type WarehouseBalance = z.infer<typeof warehouseBalanceSchema>;

export const cashierBalanceSchema = z.object({
  cashierId: z.string(),
  cashierUsername: z.string(),
  ticketTypeId: typeIdSchema,
  issued: z.number().int().describe('在手未售张数 / Issued and not yet sold'),
});
export type CashierBalance = z.infer<typeof cashierBalanceSchema>;

export const balanceQuerySchema = z.object({
  siteId: idStringSchema.optional(),
  cashierId: operatorIdSchema.optional(),
});

export const myBalanceSchema = z
  .object({
    cashierId: z.string(),
    types: z.array(
      z.object({
        ticketTypeId: typeIdSchema,
        issued: z.number().int(),
        codes: z.array(z.string()).describe('在手票号 / Codes in hand'),
      }),
    ),
  })
  .meta({ id: 'StockMyBalance' });
export type MyBalance = z.infer<typeof myBalanceSchema>;

const countsSchema = z.object({
  inWarehouse: z.number().int(),
  issued: z.number().int(),
  sold: z.number().int(),
  voided: z.number().int(),
});
export type StateCounts = z.infer<typeof countsSchema>;

export const batchReconciliationSchema = z.object({
  batchId: batchIdSchema,
  siteId: z.string(),
  ticketTypeId: typeIdSchema,
  count: z.number().int().describe('生成或导入张数 / Codes generated or imported'),
  states: countsSchema.describe('按票号当前状态统计 / Counted from the codes’ current states'),
  ledger: countsSchema
    .extend({ imported: z.number().int() })
    .describe('按出入仓流水推算 / Derived from the movements ledger'),
  balanced: z
    .boolean()
    .describe(
      '在库+在手+已售+作废=入库数，且与流水一致 / Warehouse+issued+sold+voided = count, matching the ledger',
    ),
});
export type BatchReconciliation = z.infer<typeof batchReconciliationSchema>;

export const reconciliationSchema = z
  .object({
    batches: z.array(batchReconciliationSchema),
    total: z.object({
      count: z.number().int(),
      states: countsSchema,
      ledger: countsSchema.extend({ imported: z.number().int() }),
      balanced: z.boolean(),
    }),
  })
  .meta({ id: 'StockReconciliation' });
export type Reconciliation = z.infer<typeof reconciliationSchema>;

export const reconciliationQuerySchema = z.object({
  siteId: idStringSchema.optional(),
  batchId: z.coerce.number().pipe(batchIdSchema).optional(),
});
