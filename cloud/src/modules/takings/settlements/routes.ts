/**
 * /api/v1/settlements: day and month settlements (日结 / 月结). Reading a day's or month's report needs reports.read;
 * closing one needs settlements.manage. A closed period's report is what it closed with, byte for byte.
 */
import { changeContextOf, siteScopeOfRequest } from '../../../platform/change-context.js';
import { errorResponseSchema } from '../../../platform/errors.js';
import type { AppModule } from '../../module.js';
import { dayParamsSchema, dayReportSchema, monthParamsSchema, monthReportSchema } from './schemas.js';

const errors = {
  400: errorResponseSchema,
  403: errorResponseSchema,
  404: errorResponseSchema,
  409: errorResponseSchema,
};
const read = { access: 'reports.read' } as const;
const manage = { access: 'settlements.manage' } as const;

export const settlementsModule: AppModule = {
  name: 'settlements',
  prefix: '/api/v1/settlements',
  routes: async (app, { services: { settlements } }) => {
    const tags = ['settlements'];

    app.get(
      '/days/:siteId/:date',
      {
        config: read,
        schema: {
          tags,
          summary: '日结报表（未日结时为当前数字）/ A day’s settlement (as it stands until closed)',
          params: dayParamsSchema,
          response: { 200: dayReportSchema, ...errors },
        },
      },
      async (request) =>
        settlements.dayReport(request.params.siteId, request.params.date, siteScopeOfRequest(request)),
    );
    app.post(
      '/days/:siteId/:date/close',
      {
        config: manage,
        schema: {
          tags,
          summary:
            '日结：当日所有班次已收班（已审批）后结账并冻结报表 / Close the day once all its shifts are closed',
          params: dayParamsSchema,
          response: { 200: dayReportSchema, ...errors },
        },
      },
      async (request) =>
        settlements.closeDay(request.params.siteId, request.params.date, changeContextOf(request)),
    );
    app.get(
      '/months/:siteId/:month',
      {
        config: read,
        schema: {
          tags,
          summary: '月结报表 / A month’s settlement',
          params: monthParamsSchema,
          response: { 200: monthReportSchema, ...errors },
        },
      },
      async (request) =>
        settlements.monthReport(request.params.siteId, request.params.month, siteScopeOfRequest(request)),
    );
    app.post(
      '/months/:siteId/:month/close',
      {
        config: manage,
        schema: {
          tags,
          summary: '月结：各日均已日结后结账 / Close the month once all its days are closed',
          params: monthParamsSchema,
          response: { 200: monthReportSchema, ...errors },
        },
      },
      async (request) =>
        settlements.closeMonth(request.params.siteId, request.params.month, changeContextOf(request)),
    );
  },
};
