/**
 * /api/v1/settlements: day and month settlements (日结 / 月结). Reading a day's or month's report, or exporting it
 * (`…/export?format=csv|xlsx|pdf&lang=…`), needs reports.read; closing one needs settlements.manage. A closed
 * period's report is what it closed with, byte for byte. Days and months have the same three routes, made by one
 * loop over the two periods.
 */
import { changeContextOf, siteScopeOfRequest } from '../../../platform/change-context.js';
import { errorResponseSchema } from '../../../platform/errors.js';
import {
  type ExportQuery,
  exportQuerySchema,
  exportResponseSchema,
  sendExport,
} from '../../../platform/exports/http.js';
import { negotiateLanguage } from '../../../platform/language.js';
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
    const periods = [
      {
        path: '/days/:siteId/:date',
        params: dayParamsSchema,
        report: dayReportSchema,
        period: (p: Record<string, string>) => p.date!,
        read: settlements.dayReport.bind(settlements),
        close: settlements.closeDay.bind(settlements),
        table: settlements.dayExport.bind(settlements),
        summaries: {
          read: '日结报表（未日结时为当前数字）/ A day’s settlement (as it stands until closed)',
          export: '导出日结报表 / Export a day’s settlement',
          close:
            '日结：当日所有班次已收班（已审批）后结账并冻结报表 / Close the day once all its shifts are closed',
        },
      },
      {
        path: '/months/:siteId/:month',
        params: monthParamsSchema,
        report: monthReportSchema,
        period: (p: Record<string, string>) => p.month!,
        read: settlements.monthReport.bind(settlements),
        close: settlements.closeMonth.bind(settlements),
        table: settlements.monthExport.bind(settlements),
        summaries: {
          read: '月结报表 / A month’s settlement',
          export: '导出月结报表 / Export a month’s settlement',
          close: '月结：各日均已日结后结账 / Close the month once all its days are closed',
        },
      },
    ] as const;

    for (const p of periods) {
      app.get(
        p.path,
        {
          config: read,
          schema: {
            tags,
            summary: p.summaries.read,
            params: p.params,
            response: { 200: p.report, ...errors },
          },
        },
        async (request) => {
          const params = request.params as Record<string, string>;
          return p.read(params.siteId!, p.period(params), siteScopeOfRequest(request));
        },
      );
      app.get(
        `${p.path}/export`,
        {
          config: read,
          schema: {
            tags,
            summary: p.summaries.export,
            params: p.params,
            querystring: exportQuerySchema,
            response: { ...exportResponseSchema, ...errors },
          },
        },
        async (request, reply) => {
          const params = request.params as Record<string, string>;
          const query = request.query as ExportQuery;
          const language = query.lang ?? negotiateLanguage(request.headers['accept-language']);
          const table = await p.table(
            params.siteId!,
            p.period(params),
            language,
            siteScopeOfRequest(request),
          );
          return sendExport(request, reply, table, { ...query, lang: language });
        },
      );
      app.post(
        `${p.path}/close`,
        {
          config: manage,
          schema: {
            tags,
            summary: p.summaries.close,
            params: p.params,
            response: { 200: p.report, ...errors },
          },
        },
        async (request) => {
          const params = request.params as Record<string, string>;
          return p.close(params.siteId!, p.period(params), changeContextOf(request));
        },
      );
    }
  },
};
