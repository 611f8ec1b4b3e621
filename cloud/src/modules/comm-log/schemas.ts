/**
 * The communication log's query and answer schemas: the comm-log routes (gates.read) and the reports' 终端通信明细及汇总
 * (reports.read, with exports) take and give the same shapes, so they are written once here.
 */
import { idStringSchema } from '@scenic/protocol';
import { z } from 'zod';

const dateSchema = z.iso.date().describe('Venue-local calendar date, YYYY-MM-DD');

/** The message list's filters (without paging): the list and the reports' detail and its export take them. */
export const commLogFilterShape = {
  siteId: idStringSchema.optional(),
  gateId: idStringSchema.optional(),
  direction: z.enum(['in', 'out']).optional(),
  messageType: z.string().max(64).optional(),
  result: z.enum(['ok', 'rejected']).optional(),
  reason: z.string().max(64).optional(),
  from: z.coerce.number().int().min(0).optional().describe('Epoch ms, inclusive'),
  to: z.coerce.number().int().min(0).optional().describe('Epoch ms, exclusive'),
};

/** One page of the message list: newest first, by offset. */
export const commLogPageShape = {
  limit: z.coerce.number().int().min(1).max(500).default(100),
  offset: z.coerce.number().int().min(0).max(10_000_000).default(0),
};

export const commLogListQuery = z.object({ ...commLogFilterShape, ...commLogPageShape });

export const commLogEntrySchema = z
  .object({
    id: z.number().int(),
    at: z.number().int(),
    direction: z.enum(['in', 'out']),
    siteId: z.string().nullable(),
    gateId: z.string().nullable(),
    topic: z.string(),
    channel: z.string().nullable(),
    messageType: z.string().nullable(),
    size: z.number().int(),
    result: z.enum(['ok', 'rejected']),
    reason: z
      .string()
      .nullable()
      .describe(
        'BAD_TOPIC, TOO_LARGE, BAD_JSON, BAD_MESSAGE, UNKNOWN_MESSAGE_TYPE, GATE_MISMATCH, ACL_DENIED, PUBLISH_FAILED, OVER_BUDGET, …',
      ),
    latencyMs: z.number().int().nullable(),
    count: z
      .number()
      .int()
      .min(1)
      .describe(
        'Messages the entry stands for: a rejection repeated within one minute by one gate is one entry, with the time, topic and latency of its first message and the bytes of all',
      ),
  })
  .meta({ id: 'CommLogEntry' });

export const commLogSummaryQuery = z.object({
  from: dateSchema,
  to: dateSchema,
  siteId: idStringSchema.optional(),
  gateId: idStringSchema.optional(),
});

export const commLogDaySchema = z
  .object({
    date: z.string(),
    siteId: z.string().nullable(),
    gateId: z.string().nullable(),
    messagesIn: z.number().int(),
    messagesOut: z.number().int(),
    rejected: z.number().int(),
    bytesIn: z.number().int(),
    bytesOut: z.number().int(),
    avgLatencyMs: z.number().int().nullable(),
    maxLatencyMs: z.number().int().nullable(),
  })
  .meta({ id: 'CommLogDailySummary' });
