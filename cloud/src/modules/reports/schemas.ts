/** Query and answer schemas of the reports' routes (/api/v1/reports). */
import { idStringSchema } from '@scenic/protocol';
import { z } from 'zod';
import { exportQueryShape } from '../../platform/exports/http.js';
import {
  commLogDaySchema,
  commLogEntrySchema,
  commLogFilterShape,
  commLogPageShape,
} from '../comm-log/schemas.js';
import { TAKING_METHODS, TAKING_SOURCES } from '../takings/contract.js';
import { GRANULARITIES, METRICS, MIX_MEASURES } from './analysis.js';
import { BASES, COMPARISONS } from './bases.js';
import { SUMMARY_DIMENSIONS } from './summary.js';

const date = z.iso.date().describe('景区当地日期 / Site-local date, YYYY-MM-DD');
const localized = z.object({ 'zh-CN': z.string(), en: z.string() });
const typeId = z.coerce.number().int().min(1).max(65_535);

const period = {
  from: date.describe('开始日期（含） / First day, YYYY-MM-DD (site-local)'),
  to: date.describe('结束日期（含），最多 400 天 / Last day, inclusive; at most 400 days in all'),
  siteId: idStringSchema.optional(),
};

const takingFilters = {
  ...period,
  windowId: idStringSchema.optional(),
  cashierId: idStringSchema.optional(),
  typeId: typeId.optional(),
  channel: z
    .string()
    .regex(/^[a-z][a-z0-9_]{0,31}$/)
    .optional()
    .describe('window, online, ota, agency, self_service, channel_api, …'),
  method: z.enum(TAKING_METHODS).optional(),
  agencyId: idStringSchema.optional(),
  source: z.enum(TAKING_SOURCES).optional(),
};

/** The history's export: the whole filter, every page. */
export const historyExportQuery = z.object({ ...takingFilters, ...exportQueryShape });

export const historyQuery = z.object({
  ...takingFilters,
  before: z.coerce
    .number()
    .int()
    .min(1)
    .max(Number.MAX_SAFE_INTEGER)
    .optional()
    .describe('The previous page’s `next`: takings before this number'),
  limit: z.coerce.number().int().min(1).max(500).default(50),
});

const named = <T extends z.ZodType>(id: T) => z.object({ id, name: localized });

const historyItem = z
  .object({
    id: z.number().int(),
    source: z.enum(TAKING_SOURCES),
    sourceId: z.string(),
    siteId: z.string(),
    date: z.string(),
    at: z.number().int(),
    channel: named(z.string()),
    window: named(z.string()).nullable(),
    cashier: named(z.string()).nullable(),
    agency: named(z.string()).nullable(),
    shiftId: z.string().nullable(),
    amountFen: z.number().int(),
    tickets: z.number().int(),
    persons: z.number().int(),
    payments: z.array(z.object({ method: z.enum(TAKING_METHODS), amountFen: z.number().int() })),
    items: z.array(
      z.object({
        type: named(z.number().int()),
        tickets: z.number().int(),
        persons: z.number().int(),
        amountFen: z.number().int(),
      }),
    ),
  })
  .meta({ id: 'SalesHistoryItem' });

export const historyResponse = z.object({
  items: z.array(historyItem),
  next: z.number().int().nullable(),
  totals: z
    .object({
      takings: z.number().int(),
      amountFen: z.number().int(),
      tickets: z.number().int(),
      persons: z.number().int(),
      salesFen: z.number().int(),
      supplementsFen: z.number().int(),
      ordersFen: z.number().int(),
      refundsFen: z.number().int(),
      netFen: z.number().int(),
      bySource: z.array(
        z.object({
          source: z.enum(TAKING_SOURCES),
          takings: z.number().int(),
          amountFen: z.number().int(),
          tickets: z.number().int(),
          persons: z.number().int(),
        }),
      ),
      byMethod: z.array(
        z.object({ method: z.enum(TAKING_METHODS), payments: z.number().int(), amountFen: z.number().int() }),
      ),
    })
    .meta({ id: 'SalesHistoryTotals' }),
});

const summaryShape = {
  ...takingFilters,
  by: z.enum(SUMMARY_DIMENSIONS).describe('汇总维度 / First grouping'),
  thenBy: z.enum(SUMMARY_DIMENSIONS).optional().describe('第二维度 / Second grouping'),
};
export const summaryQuery = z.object(summaryShape);
export const summaryExportQuery = z.object({ ...summaryShape, ...exportQueryShape });

const figure = z.object({
  tickets: z.number().int().nullable(),
  persons: z.number().int().nullable(),
  amountFen: z.number().int(),
});
const figures = {
  sales: figure,
  refunds: figure,
  supplements: figure,
  orders: figure,
  net: figure,
};

export const summaryResponse = z
  .object({
    from: z.string(),
    to: z.string(),
    dimensions: z.array(z.enum(SUMMARY_DIMENSIONS)),
    ticketsCounted: z.boolean(),
    rows: z.array(
      z.object({
        group: z.record(
          z.string(),
          z.object({
            id: z.union([z.string(), z.number(), z.null()]),
            siteId: z.string().optional(),
            name: localized,
          }),
        ),
        ...figures,
      }),
    ),
    totals: z.object(figures),
  })
  .meta({ id: 'SalesSummary' });

const commSummaryShape = { ...period, gateId: idStringSchema.optional() };
export const commSummaryQuery = z.object(commSummaryShape);
export const commSummaryExportQuery = z.object({ ...commSummaryShape, ...exportQueryShape });

export const commSummaryResponse = z.object({
  timeZone: z.string(),
  rows: z.array(commLogDaySchema),
  totals: z.object({
    messagesIn: z.number().int(),
    messagesOut: z.number().int(),
    rejected: z.number().int(),
    bytesIn: z.number().int(),
    bytesOut: z.number().int(),
    maxLatencyMs: z.number().int().nullable(),
  }),
});

export const commDetailQuery = z.object({ ...commLogFilterShape, ...commLogPageShape });
export const commDetailExportQuery = z.object({ ...commLogFilterShape, ...exportQueryShape });

export const commDetailResponse = z.object({
  items: z.array(commLogEntrySchema),
  totals: z.object({
    entries: z.number().int(),
    pageMessages: z.number().int(),
    pageBytes: z.number().int(),
  }),
});

const comparison = {
  compare: z.enum(COMPARISONS).default('yoy').describe('yoy 同比 / pop 环比'),
  basis: z
    .enum(BASES)
    .default('same_date')
    .describe('same_date 同日期 · same_weekday 同星期（−364 天） · same_holiday_day 节假日同日'),
};

export const compareQuery = z.object({
  ...period,
  ...comparison,
  metric: z.enum(METRICS).describe('sales 销售额（净额，分） / visitors 入园人数'),
  granularity: z.enum(GRANULARITIES).default('day'),
  typeId: typeId.optional(),
});

const periodSchema = z.object({ from: z.string(), to: z.string() });
const compared = {
  value: z.number().int(),
  baseValue: z.number().int().nullable(),
  change: z.number().int().nullable(),
  changeBp: z
    .number()
    .int()
    .nullable()
    .describe('增减率，万分之一；对比期为 0 时为 null / Basis points; null when the base is 0'),
};
const basis = z.object({ code: z.enum(BASES), label: localized });

export const compareResponse = z
  .object({
    metric: z.enum(METRICS),
    unit: z.enum(['fen', 'persons']),
    granularity: z.enum(GRANULARITIES),
    compare: z.enum(COMPARISONS),
    basis,
    from: z.string(),
    to: z.string(),
    base: periodSchema.nullable(),
    points: z.array(
      z.object({
        period: z.object({ from: z.string(), to: z.string(), label: localized }),
        base: periodSchema.nullable(),
        baseBasis: z
          .enum(BASES)
          .nullable()
          .describe(
            '实际采用的对比基准（节假日同一天在节假日外按同星期）/ The basis that gave this base (same_holiday_day falls back to same_weekday outside holidays)',
          ),
        ...compared,
      }),
    ),
    totals: z.object(compared),
  })
  .meta({ id: 'ComparisonSeries' });

export const typeMixQuery = z.object({
  ...period,
  ...comparison,
  measure: z.enum(MIX_MEASURES).default('tickets'),
});

export const typeMixResponse = z
  .object({
    measure: z.enum(MIX_MEASURES),
    compare: z.enum(COMPARISONS),
    basis,
    from: z.string(),
    to: z.string(),
    base: periodSchema.nullable(),
    rows: z.array(
      z.object({
        type: named(z.number().int()),
        value: z.number().int(),
        shareBp: z.number().int().nullable(),
        baseValue: z.number().int(),
        baseShareBp: z.number().int().nullable(),
        change: z.number().int(),
        changeBp: z.number().int().nullable(),
        shareChangeBp: z.number().int().nullable(),
      }),
    ),
    totals: z.object(compared),
  })
  .meta({ id: 'TicketTypeMix' });

export const heatmapQuery = z.object({ ...period, typeId: typeId.optional() });

export const heatmapResponse = z
  .object({
    from: z.string(),
    to: z.string(),
    weekdays: z.array(z.number().int()),
    cells: z.array(
      z.object({
        weekday: z.number().int(),
        hour: z.number().int(),
        entries: z.number().int(),
        persons: z.number().int(),
        averagePersons: z.number().int().nullable(),
      }),
    ),
    totals: z.object({ entries: z.number().int(), persons: z.number().int() }),
  })
  .meta({ id: 'EntriesHeatmap' });
