/**
 * /api/v1/comm-log — the terminal communication log (终端通信明细及汇总): every message to and from the gates with
 * filters and paging, and per-gate daily totals in the venue's time zone. gates.read.
 */

import { idStringSchema } from '@scenic/protocol';
import { z } from 'zod';
import { siteScopeOfRequest } from '../../platform/change-context.js';
import { errorResponseSchema } from '../../platform/errors.js';
import type { AppModule } from '../module.js';

const dateSchema = z.iso.date().describe('Venue-local calendar date, YYYY-MM-DD');

const listQuery = z.object({
  siteId: idStringSchema.optional(),
  gateId: idStringSchema.optional(),
  direction: z.enum(['in', 'out']).optional(),
  messageType: z.string().max(64).optional(),
  result: z.enum(['ok', 'rejected']).optional(),
  reason: z.string().max(64).optional(),
  from: z.coerce.number().int().min(0).optional().describe('Epoch ms, inclusive'),
  to: z.coerce.number().int().min(0).optional().describe('Epoch ms, exclusive'),
  limit: z.coerce.number().int().min(1).max(500).default(100),
  offset: z.coerce.number().int().min(0).default(0),
});

const entrySchema = z
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

const summaryQuery = z.object({
  from: dateSchema,
  to: dateSchema,
  siteId: idStringSchema.optional(),
  gateId: idStringSchema.optional(),
});

const daySchema = z
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

const read = { access: 'gates.read' } as const;

export const commLogModule: AppModule = {
  name: 'comm-log',
  prefix: '/api/v1/comm-log',
  routes: async (app, { services: { commLog: service } }) => {
    const tags = ['gates'];

    app.get(
      '/',
      {
        config: read,
        schema: {
          tags,
          summary: '终端通信明细 / Messages to and from gates, newest first',
          querystring: listQuery,
          response: {
            200: z.object({ items: z.array(entrySchema), total: z.number().int() }),
            400: errorResponseSchema,
          },
        },
      },
      async (request) => {
        const { limit, offset, ...filter } = request.query;
        return service.list(filter, { limit, offset }, siteScopeOfRequest(request));
      },
    );

    app.get(
      '/summary',
      {
        config: read,
        schema: {
          tags,
          summary: '终端通信汇总（按闸机、按营业日） / Per-gate daily totals in the venue’s time zone',
          querystring: summaryQuery,
          response: {
            200: z.object({ timeZone: z.string(), days: z.array(daySchema) }),
            400: errorResponseSchema,
          },
        },
      },
      async (request) => service.summary(request.query, siteScopeOfRequest(request)),
    );
  },
};
