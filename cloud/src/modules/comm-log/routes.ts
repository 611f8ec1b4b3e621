/**
 * /api/v1/comm-log — the terminal communication log (终端通信明细及汇总): every message to and from the gates with
 * filters and paging, and per-gate daily totals in the venue's time zone. gates.read.
 */

import { z } from 'zod';
import { siteScopeOfRequest } from '../../platform/change-context.js';
import { errorResponseSchema } from '../../platform/errors.js';
import type { AppModule } from '../module.js';
import { commLogDaySchema, commLogEntrySchema, commLogListQuery, commLogSummaryQuery } from './schemas.js';

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
          querystring: commLogListQuery,
          response: {
            200: z.object({ items: z.array(commLogEntrySchema), total: z.number().int() }),
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
          querystring: commLogSummaryQuery,
          response: {
            200: z.object({ timeZone: z.string(), days: z.array(commLogDaySchema) }),
            400: errorResponseSchema,
          },
        },
      },
      async (request) => service.summary(request.query, siteScopeOfRequest(request)),
    );
  },
};
