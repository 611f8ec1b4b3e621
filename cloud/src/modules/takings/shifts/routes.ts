/**
 * /api/v1/shifts: cashier shifts (交接班). A cashier (shifts.operate) opens, drops, pays out, hands over and closes
 * their own till; reading needs shifts.read (without shifts.approve: one's own shifts only); a supervisor
 * (shifts.approve) approves a variance above the threshold and adjusts closed shifts. The report prints as PDF and
 * ESC/POS through the printing module (`/shifts/:shiftId/report.pdf`, `/shifts/:shiftId/escpos`), and exports as a
 * table (`/shifts/:shiftId/report/export?format=csv|xlsx|pdf`).
 */
import type { FastifyRequest } from 'fastify';
import { operatorOf } from '../../../platform/auth/enforce.js';
import { operatorChoiceSchema, operatorSearchSchema } from '../../../platform/auth/schemas.js';
import { changeContextOf, siteScopeOfRequest } from '../../../platform/change-context.js';
import { errorResponseSchema } from '../../../platform/errors.js';
import { exportQuerySchema, exportResponseSchema, sendExport } from '../../../platform/exports/http.js';
import { idempotencyHeadersSchema, sendIdempotent } from '../../../platform/idempotent-reply.js';
import { negotiateLanguage } from '../../../platform/language.js';
import type { AppModule } from '../../module.js';
import {
  adjustmentSchema,
  approveSchema,
  closeShiftSchema,
  handoverSchema,
  listShiftsQuerySchema,
  movementSchema,
  myShiftsSchema,
  openShiftSchema,
  shiftEventSchema,
  shiftListSchema,
  shiftParamsSchema,
  shiftReportSchema,
  shiftSchema,
} from './schemas.js';
import type { ShiftActor } from './service.js';

const errors = {
  400: errorResponseSchema,
  403: errorResponseSchema,
  404: errorResponseSchema,
  409: errorResponseSchema,
};
const operate = { access: 'shifts.operate' } as const;
const read = { access: 'shifts.read' } as const;
const approve = { access: 'shifts.approve' } as const;
/**
 * Drops, payouts and adjustments take an optional Idempotency-Key (unique per operator): with one, a repeat answers
 * 200 with the event already made (`Idempotent-Replayed: true`) instead of moving the cash twice.
 */
const optionalKey = idempotencyHeadersSchema.partial();

/** The signed-in operator as the shifts see them. */
export function shiftActorOf(request: FastifyRequest): ShiftActor {
  const operator = operatorOf(request);
  return {
    id: operator.id,
    username: operator.username,
    supervisor: operator.permissions.has('shifts.approve'),
  };
}

export const shiftsModule: AppModule = {
  name: 'shifts',
  prefix: '/api/v1/shifts',
  routes: async (app, { services: { shifts } }) => {
    const tags = ['shifts'];

    app.get(
      '/',
      {
        config: read,
        schema: {
          tags,
          summary: '班次列表（最新在前）/ List shifts, newest first',
          querystring: listShiftsQuerySchema,
          response: { 200: shiftListSchema, ...errors },
        },
      },
      async (request) => shifts.list(request.query, shiftActorOf(request), siteScopeOfRequest(request)),
    );
    app.get(
      '/mine',
      {
        config: operate,
        schema: {
          tags,
          summary: '本人未结班次与待接班 / The caller’s open shifts and tills handed over to them',
          response: { 200: myShiftsSchema, ...errors },
        },
      },
      async (request) => shifts.mine(shiftActorOf(request), siteScopeOfRequest(request)),
    );
    app.get(
      '/successors',
      {
        config: operate,
        schema: {
          tags,
          summary: '可接班的收银员（启用且可开班，不含本人）/ Cashiers a till may be handed over to',
          querystring: operatorSearchSchema,
          response: { 200: operatorChoiceSchema.array(), ...errors },
        },
      },
      async (request) => shifts.successors(request.query, shiftActorOf(request)),
    );
    app.post(
      '/',
      {
        config: operate,
        schema: {
          tags,
          summary: '开班（备用金，或接班）/ Open a shift (with a float, or taking over)',
          body: openShiftSchema,
          response: { 201: shiftSchema, ...errors },
        },
      },
      async (request, reply) =>
        reply
          .code(201)
          .send(await shifts.open(request.body, shiftActorOf(request), changeContextOf(request))),
    );
    app.get(
      '/:shiftId',
      {
        config: read,
        schema: {
          tags,
          summary: '班次 / A shift',
          params: shiftParamsSchema,
          response: { 200: shiftSchema, ...errors },
        },
      },
      async (request) =>
        shifts.get(request.params.shiftId, shiftActorOf(request), siteScopeOfRequest(request)),
    );
    app.get(
      '/:shiftId/report',
      {
        config: read,
        schema: {
          tags,
          summary: '交接班报表 / The shift report',
          params: shiftParamsSchema,
          response: { 200: shiftReportSchema, ...errors },
        },
      },
      async (request) =>
        shifts.report(request.params.shiftId, shiftActorOf(request), siteScopeOfRequest(request)),
    );
    app.get(
      '/:shiftId/report/export',
      {
        config: read,
        schema: {
          tags,
          summary: '导出交接班报表（CSV、XLSX、PDF）/ Export the shift report (CSV, XLSX, PDF)',
          params: shiftParamsSchema,
          querystring: exportQuerySchema,
          response: { ...exportResponseSchema, ...errors },
        },
      },
      async (request, reply) => {
        const language = request.query.lang ?? negotiateLanguage(request.headers['accept-language']);
        const table = await shifts.reportExport(
          request.params.shiftId,
          shiftActorOf(request),
          language,
          siteScopeOfRequest(request),
        );
        return sendExport(request, reply, table, { ...request.query, lang: language });
      },
    );
    for (const [path, kind, summary] of [
      ['drops', 'drop', '上缴（存入保险箱）/ A drop to the safe'],
      ['payouts', 'payout', '支出 / A payout from the till'],
    ] as const)
      app.post(
        `/:shiftId/${path}`,
        {
          config: operate,
          schema: {
            tags,
            summary,
            params: shiftParamsSchema,
            headers: optionalKey,
            body: movementSchema,
            response: { 200: shiftEventSchema, 201: shiftEventSchema, ...errors },
          },
        },
        async (request, reply) => {
          const { value, replayed } = await shifts[kind](
            request.params.shiftId,
            request.body,
            shiftActorOf(request),
            changeContextOf(request),
            request.headers['idempotency-key'],
          );
          return sendIdempotent(reply, replayed, value);
        },
      );
    app.post(
      '/:shiftId/close',
      {
        config: operate,
        schema: {
          tags,
          summary:
            '收班：实点现金（可按面额）与非现金结算；超出长短款阈值待审批 / Close with the till counted; above ' +
            'the variance threshold it awaits approval',
          params: shiftParamsSchema,
          body: closeShiftSchema,
          response: { 200: shiftReportSchema, ...errors },
        },
      },
      async (request) =>
        shifts.close(request.params.shiftId, request.body, shiftActorOf(request), changeContextOf(request)),
    );
    app.post(
      '/:shiftId/handover',
      {
        config: operate,
        schema: {
          tags,
          summary:
            '交班：清点收班，现金留给接班人作备用金（接班人开班时填 handoverFrom）/ Hand over: count and close; ' +
            'the next cashier opens with handoverFrom',
          params: shiftParamsSchema,
          body: handoverSchema,
          response: { 200: shiftReportSchema, ...errors },
        },
      },
      async (request) =>
        shifts.handover(
          request.params.shiftId,
          request.body,
          shiftActorOf(request),
          changeContextOf(request),
        ),
    );
    app.post(
      '/:shiftId/approve',
      {
        config: approve,
        schema: {
          tags,
          summary: '审批长短款（不能审批本人班次）/ Approve the variance (never one’s own shift)',
          params: shiftParamsSchema,
          body: approveSchema,
          response: { 200: shiftSchema, ...errors },
        },
      },
      async (request) =>
        shifts.approve(request.params.shiftId, request.body, shiftActorOf(request), changeContextOf(request)),
    );
    app.post(
      '/:shiftId/adjustments',
      {
        config: approve,
        schema: {
          tags,
          summary:
            '调整已结班次：单独记录，计入调整当天 / Adjust a closed shift: its own entry, counted on the day made',
          params: shiftParamsSchema,
          headers: optionalKey,
          body: adjustmentSchema,
          response: { 200: shiftEventSchema, 201: shiftEventSchema, ...errors },
        },
      },
      async (request, reply) => {
        const { value, replayed } = await shifts.adjust(
          request.params.shiftId,
          request.body,
          shiftActorOf(request),
          changeContextOf(request),
          request.headers['idempotency-key'],
        );
        return sendIdempotent(reply, replayed, value);
      },
    );
  },
};
