/**
 * /api/v1/agencies: travel agencies (旅行社 / 分销商), their authorised ticket types and settlement prices, their
 * ledger and statements, and the operators who act for them.
 *
 * Two audiences:
 * - The venue's staff: reading needs agencies.read, the accounts, terms and operator links agencies.manage, money
 *   (top-ups, adjustments) agencies.adjust. Agencies are venue-wide, so these routes are `allSites`: an operator
 *   limited to some sites gets 403 SITE_FORBIDDEN.
 * - An agency's own operators (the `agency` role, linked to one agency): `/mine`, `/mine/types`, `/mine/ledger`,
 *   `/mine/statement` (and its `/export` as CSV / XLSX / PDF), open to any signed-in operator and resolved through the caller's link (404 without one).
 *   They hold no agencies.* permission, so every other route answers them 403 FORBIDDEN; and an operator linked to
 *   an agency is refused the staff routes even should a role grant the permission (403 FORBIDDEN): a link means
 *   "sees only its own agency", whatever else it holds.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { operatorOf } from '../../platform/auth/enforce.js';
import { changeContextOf } from '../../platform/change-context.js';
import { AppError, errorResponseSchema } from '../../platform/errors.js';
import { exportQueryShape, exportResponseSchema, sendExport } from '../../platform/exports/http.js';
import { negotiateLanguage } from '../../platform/language.js';
import type { AppModule } from '../module.js';
import {
  adjustmentSchema,
  agencyListQuerySchema,
  agencyOperatorListSchema,
  agencyOperatorParamsSchema,
  agencyOperatorSchema,
  agencyPageSchema,
  agencyParamsSchema,
  agencySchema,
  agencyTypeListSchema,
  agencyTypeParamsSchema,
  agencyTypeSchema,
  createAgencySchema,
  ledgerEntrySchema,
  ledgerPageSchema,
  ledgerQuerySchema,
  putAgencyTypeSchema,
  statementQuerySchema,
  statementSchema,
  topUpSchema,
  updateAgencySchema,
} from './schemas.js';

const errors = {
  400: errorResponseSchema,
  403: errorResponseSchema,
  404: errorResponseSchema,
  409: errorResponseSchema,
};
const read = { access: 'agencies.read', allSites: true } as const;
const manage = { access: 'agencies.manage', allSites: true } as const;
const adjust = { access: 'agencies.adjust', allSites: true } as const;
const own = { access: 'authenticated' } as const;
const statementExportQuery = statementQuerySchema.extend(exportQueryShape);

const MINE = { 'zh-CN': '本操作员所属旅行社', en: 'Agency of this operator' };

export const agenciesModule: AppModule = {
  name: 'agencies',
  prefix: '/api/v1/agencies',
  routes: async (app, { services: { agencies } }) => {
    const tags = ['agencies'];

    /** The statement of `agencyId` as a file, in the export's language (its `lang`, else Accept-Language). */
    async function exportStatement(request: FastifyRequest, reply: FastifyReply, agencyId: string) {
      const { from, to, ...format } = statementExportQuery.parse(request.query);
      const language = format.lang ?? negotiateLanguage(request.headers['accept-language']);
      return sendExport(request, reply, await agencies.statementTable(agencyId, from, to, language), format);
    }

    /** The agency the signed-in operator acts for; 404 for one without a link (the venue's own staff). */
    async function myAgency(request: FastifyRequest): Promise<string> {
      const operator = operatorOf(request);
      const agencyId = await agencies.agencyOfOperator(operator.id);
      if (!agencyId) throw new AppError('NOT_FOUND', { resource: MINE, id: operator.username });
      return agencyId;
    }

    // Before validation, like the permission gate: a linked agency operator never reaches the staff routes.
    app.addHook('onRequest', async (request) => {
      if (request.routeOptions.config.access === 'authenticated' || !request.operator) return;
      if (await agencies.agencyOfOperator(request.operator.id)) throw new AppError('FORBIDDEN');
    });

    // ——— An agency's own view ———

    app.get(
      '/mine',
      {
        config: own,
        schema: {
          tags,
          summary: '本旅行社账户（旅行社操作员）/ The caller’s own agency (agency operators)',
          response: { 200: agencySchema, ...errors },
        },
      },
      async (request) => agencies.get(await myAgency(request)),
    );
    app.get(
      '/mine/types',
      {
        config: own,
        schema: {
          tags,
          summary: '本旅行社的授权票种与结算价 / The caller’s agency’s ticket types and settlement prices',
          response: { 200: agencyTypeListSchema, ...errors },
        },
      },
      async (request) => ({ types: await agencies.listTypes(await myAgency(request)) }),
    );
    app.get(
      '/mine/ledger',
      {
        config: own,
        schema: {
          tags,
          summary: '本旅行社账户流水 / The caller’s agency’s ledger',
          querystring: ledgerQuerySchema,
          response: { 200: ledgerPageSchema, ...errors },
        },
      },
      async (request) => agencies.ledger(await myAgency(request), request.query),
    );
    app.get(
      '/mine/statement',
      {
        config: own,
        schema: {
          tags,
          summary: '本旅行社对账单 / The caller’s agency’s statement for a period',
          querystring: statementQuerySchema,
          response: { 200: statementSchema, ...errors },
        },
      },
      async (request) => agencies.statement(await myAgency(request), request.query.from, request.query.to),
    );
    app.get(
      '/mine/statement/export',
      {
        config: own,
        schema: {
          tags,
          summary: '导出本旅行社对账单 / The caller’s agency’s statement as a file (CSV / XLSX / PDF)',
          querystring: statementExportQuery,
          response: { ...exportResponseSchema, ...errors },
        },
      },
      async (request, reply) => exportStatement(request, reply, await myAgency(request)),
    );

    // ——— Accounts ———

    app.get(
      '/',
      {
        config: read,
        schema: {
          tags,
          summary: '旅行社列表（分页）/ List agencies (paged)',
          querystring: agencyListQuerySchema,
          response: { 200: agencyPageSchema, ...errors },
        },
      },
      async (request) => agencies.list(request.query),
    );
    app.post(
      '/',
      {
        config: manage,
        schema: {
          tags,
          summary: '新建旅行社 / Create an agency',
          body: createAgencySchema,
          response: { 201: agencySchema, ...errors },
        },
      },
      async (request, reply) =>
        reply.code(201).send(await agencies.create(request.body, changeContextOf(request))),
    );
    app.get(
      '/:agencyId',
      {
        config: read,
        schema: {
          tags,
          summary: '旅行社详情 / Get an agency',
          params: agencyParamsSchema,
          response: { 200: agencySchema, ...errors },
        },
      },
      async (request) => agencies.get(request.params.agencyId),
    );
    app.patch(
      '/:agencyId',
      {
        config: manage,
        schema: {
          tags,
          summary:
            '修改旅行社（资料、暂停/恢复、结算方式、授信额度）/ Change an agency (details, suspend, payment mode, credit limit)',
          params: agencyParamsSchema,
          body: updateAgencySchema,
          response: { 200: agencySchema, ...errors },
        },
      },
      async (request) => agencies.update(request.params.agencyId, request.body, changeContextOf(request)),
    );

    // ——— Authorised types ———

    app.get(
      '/:agencyId/types',
      {
        config: read,
        schema: {
          tags,
          summary: '授权票种与结算价 / Authorised ticket types and settlement prices',
          params: agencyParamsSchema,
          response: { 200: agencyTypeListSchema, ...errors },
        },
      },
      async (request) => ({ types: await agencies.listTypes(request.params.agencyId) }),
    );
    app.put(
      '/:agencyId/types/:typeId',
      {
        config: manage,
        schema: {
          tags,
          summary:
            '授权票种并设结算价（不高于旅行社渠道价，可分日期段）/ Authorise a type at a settlement price (at most its agency price; optionally per date range)',
          params: agencyTypeParamsSchema,
          body: putAgencyTypeSchema,
          response: { 200: agencyTypeSchema, ...errors },
        },
      },
      async (request) =>
        agencies.putType(
          request.params.agencyId,
          request.params.typeId,
          request.body,
          changeContextOf(request),
        ),
    );
    app.delete(
      '/:agencyId/types/:typeId',
      {
        config: manage,
        schema: {
          tags,
          summary: '取消票种授权 / Withdraw a type’s authorisation',
          params: agencyTypeParamsSchema,
          response: { 204: z.null(), ...errors },
        },
      },
      async (request, reply) => {
        await agencies.removeType(request.params.agencyId, request.params.typeId, changeContextOf(request));
        return reply.code(204).send(null);
      },
    );

    // ——— Ledger ———

    app.post(
      '/:agencyId/top-ups',
      {
        config: adjust,
        schema: {
          tags,
          summary: '充值（预存或归还授信）/ Record money received (a deposit, or credit paid back)',
          params: agencyParamsSchema,
          body: topUpSchema,
          response: { 201: ledgerEntrySchema, ...errors },
        },
      },
      async (request, reply) =>
        reply
          .code(201)
          .send(await agencies.topUp(request.params.agencyId, request.body, changeContextOf(request))),
    );
    app.post(
      '/:agencyId/adjustments',
      {
        config: adjust,
        schema: {
          tags,
          summary: '手工调账（须填原因）/ Adjust the balance by hand, with a reason',
          params: agencyParamsSchema,
          body: adjustmentSchema,
          response: { 201: ledgerEntrySchema, ...errors },
        },
      },
      async (request, reply) =>
        reply
          .code(201)
          .send(await agencies.adjust(request.params.agencyId, request.body, changeContextOf(request))),
    );
    app.get(
      '/:agencyId/ledger',
      {
        config: read,
        schema: {
          tags,
          summary: '账户流水（最新在前，分页）/ The ledger, newest first (paged)',
          params: agencyParamsSchema,
          querystring: ledgerQuerySchema,
          response: { 200: ledgerPageSchema, ...errors },
        },
      },
      async (request) => agencies.ledger(request.params.agencyId, request.query),
    );
    app.get(
      '/:agencyId/statement',
      {
        config: read,
        schema: {
          tags,
          summary:
            '对账单：期初、按类型合计、期末（景区当地日期）/ Statement: opening, sums by kind, closing (venue-local dates)',
          params: agencyParamsSchema,
          querystring: statementQuerySchema,
          response: { 200: statementSchema, ...errors },
        },
      },
      async (request) => agencies.statement(request.params.agencyId, request.query.from, request.query.to),
    );
    app.get(
      '/:agencyId/statement/export',
      {
        config: read,
        schema: {
          tags,
          summary:
            '导出对账单（CSV / XLSX / PDF）：期初、按类型合计、期末 / The statement as a file: opening, sums by kind, closing',
          params: agencyParamsSchema,
          querystring: statementExportQuery,
          response: { ...exportResponseSchema, ...errors },
        },
      },
      async (request, reply) => exportStatement(request, reply, request.params.agencyId),
    );

    // ——— Agency operators ———

    app.get(
      '/:agencyId/operators',
      {
        config: read,
        schema: {
          tags,
          summary: '旅行社操作员 / The agency’s operators',
          params: agencyParamsSchema,
          response: { 200: agencyOperatorListSchema, ...errors },
        },
      },
      async (request) => ({ operators: await agencies.listOperators(request.params.agencyId) }),
    );
    app.put(
      '/:agencyId/operators/:operatorId',
      {
        config: manage,
        schema: {
          tags,
          summary:
            '关联“旅行社”角色的操作员（每人一家）/ Link an operator of the agency role (one agency each)',
          params: agencyOperatorParamsSchema,
          response: { 200: agencyOperatorSchema, ...errors },
        },
      },
      async (request) =>
        agencies.linkOperator(request.params.agencyId, request.params.operatorId, changeContextOf(request)),
    );
    app.delete(
      '/:agencyId/operators/:operatorId',
      {
        config: manage,
        schema: {
          tags,
          summary: '解除操作员关联 / Unlink an operator',
          params: agencyOperatorParamsSchema,
          response: { 204: z.null(), ...errors },
        },
      },
      async (request, reply) => {
        await agencies.unlinkOperator(
          request.params.agencyId,
          request.params.operatorId,
          changeContextOf(request),
        );
        return reply.code(204).send(null);
      },
    );
  },
};
