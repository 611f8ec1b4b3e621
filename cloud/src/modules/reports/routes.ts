/**
 * /api/v1/reports — 数据管理 and 决策分析 (reports.read): the sales history and summary over the takings, the terminal
 * communication summary and detail, and the decision analysis (同比 / 环比 series, ticket-type mix, hour × weekday
 * heatmap). Every answer is limited to the caller's sites. Each report also answers `…/export?format=csv|xlsx|pdf&
 * lang=…` with the same filters (platform/exports/http.ts): the whole filter as a file — every row of the history,
 * not one page — with a totals row where the report has one.
 */
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { siteScopeOfRequest } from '../../platform/change-context.js';
import { errorResponseSchema } from '../../platform/errors.js';
import { exportQueryShape, exportResponseSchema, sendExport } from '../../platform/exports/http.js';
import { type Language, negotiateLanguage } from '../../platform/language.js';
import type { AppModule } from '../module.js';
import {
  commDetailExportQuery,
  commDetailQuery,
  commDetailResponse,
  commSummaryExportQuery,
  commSummaryQuery,
  commSummaryResponse,
  compareQuery,
  compareResponse,
  heatmapQuery,
  heatmapResponse,
  historyExportQuery,
  historyQuery,
  historyResponse,
  summaryExportQuery,
  summaryQuery,
  summaryResponse,
  typeMixQuery,
  typeMixResponse,
} from './schemas.js';

const read = { access: 'reports.read' } as const;

/** The export's language: `lang`, else the Accept-Language (what sendExport names the file in). */
const languageOf = (request: FastifyRequest, lang: Language | undefined): Language =>
  lang ?? negotiateLanguage(request.headers['accept-language']);

export const reportsModule: AppModule = {
  name: 'reports',
  prefix: '/api/v1/reports',
  routes: async (app, { services: { reports } }) => {
    const tags = ['reports'];
    const answers = <T>(schema: T) => ({ 200: schema, 400: errorResponseSchema });
    const file = { ...exportResponseSchema, 400: errorResponseSchema };

    app.get(
      '/sales-history',
      {
        config: read,
        schema: {
          tags,
          summary:
            '销售历史查询 / The takings journal: sales, refunds, supplements, group orders, newest first',
          querystring: historyQuery,
          response: answers(historyResponse),
        },
      },
      async (request) => {
        const { before, limit, ...filter } = request.query;
        return reports.history(filter, { before, limit }, siteScopeOfRequest(request));
      },
    );

    app.get(
      '/sales-summary',
      {
        config: read,
        schema: {
          tags,
          summary: '销售汇总表 / Takings summed by one or two dimensions over a period',
          querystring: summaryQuery,
          response: answers(summaryResponse),
        },
      },
      async (request) => reports.summary(request.query, siteScopeOfRequest(request)),
    );

    app.get(
      '/comm-log/summary',
      {
        config: read,
        schema: {
          tags,
          summary: '终端通信汇总 / Per-gate daily message totals, with the totals of the period',
          querystring: commSummaryQuery,
          response: answers(commSummaryResponse),
        },
      },
      async (request) => reports.commSummary(request.query, siteScopeOfRequest(request)),
    );

    app.get(
      '/comm-log/detail',
      {
        config: read,
        schema: {
          tags,
          summary: '终端通信明细 / Messages to and from gates, newest first, with totals',
          querystring: commDetailQuery,
          response: answers(commDetailResponse),
        },
      },
      async (request) => {
        const { limit, offset, ...filter } = request.query;
        return reports.commDetail(filter, { limit, offset }, siteScopeOfRequest(request));
      },
    );

    app.get(
      '/sales-history/export',
      {
        config: read,
        schema: {
          tags,
          summary:
            '导出销售历史（筛选范围内全部记录）/ The takings journal under the filter as a file, every row',
          querystring: historyExportQuery,
          response: file,
        },
      },
      async (request, reply) => {
        const { format, lang, ...filter } = request.query;
        const language = languageOf(request, lang);
        const table = await reports.historyTable(filter, siteScopeOfRequest(request), language);
        return sendExport(request, reply, table, { format, lang: language });
      },
    );

    app.get(
      '/sales-summary/export',
      {
        config: read,
        schema: {
          tags,
          summary: '导出销售汇总表 / The sales summary as a file',
          querystring: summaryExportQuery,
          response: file,
        },
      },
      async (request, reply) => {
        const { format, lang, ...query } = request.query;
        const language = languageOf(request, lang);
        const table = await reports.summaryTable(query, siteScopeOfRequest(request), language);
        return sendExport(request, reply, table, { format, lang: language });
      },
    );

    app.get(
      '/comm-log/summary/export',
      {
        config: read,
        schema: {
          tags,
          summary: '导出终端通信汇总 / The per-gate daily message totals as a file',
          querystring: commSummaryExportQuery,
          response: file,
        },
      },
      async (request, reply) => {
        const { format, lang, ...query } = request.query;
        const table = await reports.commSummaryTable(query, siteScopeOfRequest(request));
        return sendExport(request, reply, table, { format, lang: languageOf(request, lang) });
      },
    );

    app.get(
      '/comm-log/detail/export',
      {
        config: read,
        schema: {
          tags,
          summary: '导出终端通信明细（筛选范围内全部消息）/ Every message under the filter as a file',
          querystring: commDetailExportQuery,
          response: file,
        },
      },
      async (request, reply) => {
        const { format, lang, ...filter } = request.query;
        const language = languageOf(request, lang);
        const table = await reports.commDetailTable(filter, siteScopeOfRequest(request), language);
        return sendExport(request, reply, table, { format, lang: language });
      },
    );

    app.get(
      '/analysis/compare',
      {
        config: read,
        schema: {
          tags,
          summary:
            '销售 / 通行人数同期对比（同比、环比） / Sales or visitors against last year or the period before',
          querystring: compareQuery,
          response: answers(compareResponse),
        },
      },
      async (request) => reports.compare(request.query, siteScopeOfRequest(request)),
    );

    app.get(
      '/analysis/type-mix',
      {
        config: read,
        schema: {
          tags,
          summary: '票型分析对比 / Each ticket type’s share this period and in the base period',
          querystring: typeMixQuery,
          response: answers(typeMixResponse),
        },
      },
      async (request) => reports.typeMix(request.query, siteScopeOfRequest(request)),
    );

    app.get(
      '/analysis/heatmap',
      {
        config: read,
        schema: {
          tags,
          summary: '入园时段热力图 / Entries by site-local hour and weekday',
          querystring: heatmapQuery,
          response: answers(heatmapResponse),
        },
      },
      async (request) => reports.heatmap(request.query, siteScopeOfRequest(request)),
    );

    app.get(
      '/analysis/compare/export',
      {
        config: read,
        schema: {
          tags,
          summary: '导出同期对比（CSV / XLSX / PDF） / The comparison as a file',
          querystring: z.object({ ...compareQuery.shape, ...exportQueryShape }),
          response: file,
        },
      },
      async (request, reply) => {
        const { format, lang, ...query } = request.query;
        const table = await reports.compareTable(
          query,
          siteScopeOfRequest(request),
          languageOf(request, lang),
        );
        return sendExport(request, reply, table, { format, lang });
      },
    );

    app.get(
      '/analysis/type-mix/export',
      {
        config: read,
        schema: {
          tags,
          summary: '导出票型分析对比 / The ticket-type mix as a file',
          querystring: z.object({ ...typeMixQuery.shape, ...exportQueryShape }),
          response: file,
        },
      },
      async (request, reply) => {
        const { format, lang, ...query } = request.query;
        const table = await reports.typeMixTable(
          query,
          siteScopeOfRequest(request),
          languageOf(request, lang),
        );
        return sendExport(request, reply, table, { format, lang });
      },
    );

    app.get(
      '/analysis/heatmap/export',
      {
        config: read,
        schema: {
          tags,
          summary: '导出入园时段热力图 / The entries heatmap as a file',
          querystring: z.object({ ...heatmapQuery.shape, ...exportQueryShape }),
          response: file,
        },
      },
      async (request, reply) => {
        const { format, lang, ...query } = request.query;
        const table = await reports.heatmapTable(
          query,
          siteScopeOfRequest(request),
          languageOf(request, lang),
        );
        return sendExport(request, reply, table, { format, lang });
      },
    );
  },
};
