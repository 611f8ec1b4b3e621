/**
 * /api/v1/stock: pre-printed ticket stock. Making, importing, issuing, taking back and voiding codes need
 * stock.manage (as does the list of operators who may receive stock); balances, batches and their codes, a code's
 * history and reconciliation need stock.read. Any signed-in operator may see what they hold themselves
 * (`/balances/mine`), and only that: a cashier counts their own stubs at the end of a shift without being shown the
 * warehouse or colleagues.
 */
import { z } from 'zod';
import { operatorOf } from '../../platform/auth/enforce.js';
import { changeContextOf, siteScopeOfRequest } from '../../platform/change-context.js';
import { errorResponseSchema } from '../../platform/errors.js';
import type { AppModule } from '../module.js';
import {
  balanceQuerySchema,
  batchCodePageSchema,
  batchCodesQuerySchema,
  batchParamsSchema,
  batchQuerySchema,
  batchSchema,
  cashierBalanceSchema,
  cashierQuerySchema,
  cashierSchema,
  codeDetailSchema,
  codeParamsSchema,
  createdBatchSchema,
  generateBatchSchema,
  importBatchSchema,
  issueSchema,
  movedSchema,
  myBalanceSchema,
  reconciliationQuerySchema,
  reconciliationSchema,
  returnSchema,
  voidSchema,
  warehouseBalanceSchema,
} from './schemas.js';

const errors = { 400: errorResponseSchema, 404: errorResponseSchema, 409: errorResponseSchema };
const read = { access: 'stock.read' } as const;
const manage = { access: 'stock.manage' } as const;

export const stockModule: AppModule = {
  name: 'stock',
  prefix: '/api/v1/stock',
  routes: async (app, { services: { stock } }) => {
    const tags = ['stock'];

    app.post(
      '/batches/generate',
      {
        config: manage,
        schema: {
          tags,
          summary: '门票制作：生成一批随机票号入库 / Generate a batch of fresh codes into the warehouse',
          body: generateBatchSchema,
          response: { 201: createdBatchSchema, ...errors },
        },
      },
      async (request, reply) =>
        reply.code(201).send(await stock.generateBatch(request.body, changeContextOf(request))),
    );
    app.post(
      '/batches/import',
      {
        config: manage,
        schema: {
          tags,
          summary:
            '导入已印制票号入库（全部有效才导入）/ Import pre-printed codes into the warehouse, all or nothing',
          body: importBatchSchema,
          response: { 201: createdBatchSchema, ...errors },
        },
      },
      async (request, reply) =>
        reply.code(201).send(await stock.importBatch(request.body, changeContextOf(request))),
    );
    app.get(
      '/batches',
      {
        config: read,
        schema: {
          tags,
          summary: '票库批次列表 / List stock batches',
          querystring: batchQuerySchema,
          response: { 200: z.array(batchSchema), ...errors },
        },
      },
      async (request) => stock.listBatches(request.query, siteScopeOfRequest(request)),
    );
    app.get(
      '/batches/:batchId',
      {
        config: read,
        schema: {
          tags,
          summary: '批次详情与票号（用于打印）/ A batch with its codes, e.g. for printing',
          params: batchParamsSchema,
          response: { 200: createdBatchSchema, ...errors },
        },
      },
      async (request) => ({
        ...(await stock.getBatch(request.params.batchId, siteScopeOfRequest(request))),
        codes: await stock.batchCodes(request.params.batchId, siteScopeOfRequest(request)),
      }),
    );
    app.get(
      '/batches/:batchId/codes',
      {
        config: read,
        schema: {
          tags,
          summary: '批次票号分页（含状态与持有人）/ A batch’s codes page by page, with state and holder',
          params: batchParamsSchema,
          querystring: batchCodesQuerySchema,
          response: { 200: batchCodePageSchema, ...errors },
        },
      },
      async (request) =>
        stock.batchCodePage(request.params.batchId, request.query, siteScopeOfRequest(request)),
    );
    app.get(
      '/cashiers',
      {
        config: manage,
        schema: {
          tags,
          summary: '可领票的售票员（有售票权限且启用）/ Operators who may receive stock (active, may sell)',
          querystring: cashierQuerySchema,
          response: { 200: z.array(cashierSchema), ...errors },
        },
      },
      async (request) => stock.cashiers(request.query),
    );
    app.post(
      '/issue',
      {
        config: manage,
        schema: {
          tags,
          summary: '出仓：把在库票号发给售票员 / Issue codes from the warehouse to a cashier',
          body: issueSchema,
          response: { 200: movedSchema, ...errors },
        },
      },
      async (request) => stock.issue(request.body, changeContextOf(request)),
    );
    app.post(
      '/return',
      {
        config: manage,
        schema: {
          tags,
          summary: '入仓：售票员交回未售票号 / Take unsold codes back from a cashier',
          body: returnSchema,
          response: { 200: movedSchema, ...errors },
        },
      },
      async (request) => stock.returnToWarehouse(request.body, changeContextOf(request)),
    );
    app.post(
      '/void',
      {
        config: manage,
        schema: {
          tags,
          summary: '作废遗失或损坏的票号 / Void lost or damaged codes',
          body: voidSchema,
          response: { 200: movedSchema, ...errors },
        },
      },
      async (request) => stock.voidCodes(request.body, changeContextOf(request)),
    );
    app.get(
      '/codes/:code',
      {
        config: read,
        schema: {
          tags,
          summary: '票号状态与出入仓流水 / A code’s state and its ledger',
          params: codeParamsSchema,
          response: { 200: codeDetailSchema, ...errors },
        },
      },
      async (request) => stock.codeDetail(request.params.code, siteScopeOfRequest(request)),
    );
    app.get(
      '/balances/warehouse',
      {
        config: read,
        schema: {
          tags,
          summary: '仓库结存（按景区、票种）/ Warehouse balances per site and ticket type',
          querystring: balanceQuerySchema.pick({ siteId: true }),
          response: { 200: z.array(warehouseBalanceSchema), ...errors },
        },
      },
      async (request) => stock.warehouseBalances(request.query, siteScopeOfRequest(request)),
    );
    app.get(
      '/balances/cashiers',
      {
        config: read,
        schema: {
          tags,
          summary: '售票员在手结存（按票种）/ Cashier balances per ticket type',
          querystring: balanceQuerySchema,
          response: { 200: z.array(cashierBalanceSchema), ...errors },
        },
      },
      async (request) => stock.cashierBalances(request.query, siteScopeOfRequest(request)),
    );
    app.get(
      '/balances/mine',
      {
        config: { access: 'authenticated' },
        schema: {
          tags,
          summary: '我在手的票号 / The codes issued to me',
          response: { 200: myBalanceSchema, ...errors },
        },
      },
      async (request) => stock.balanceOf(operatorOf(request).id, siteScopeOfRequest(request)),
    );
    app.get(
      '/reconciliation',
      {
        config: read,
        schema: {
          tags,
          summary:
            '票库对账：在库+在手+已售+作废=入库，并与流水核对 / Reconciliation: warehouse + issued + sold + ' +
            'voided = imported, checked against the ledger',
          querystring: reconciliationQuerySchema,
          response: { 200: reconciliationSchema, ...errors },
        },
      },
      async (request) => stock.reconciliation(request.query, siteScopeOfRequest(request)),
    );
  },
};
