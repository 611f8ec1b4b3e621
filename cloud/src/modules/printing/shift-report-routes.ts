/**
 * The shift report's printouts (交接班报表): `GET /shifts/:shiftId/report.pdf` (80 mm roll) and
 * `GET /shifts/:shiftId/escpos` (the window's thermal printer), read with shifts.read under the same rules as the
 * report itself (one's own shifts without shifts.approve; a blind shift's figures hidden from its cashier until it
 * is closed). Registered by the printing module beside the sale printouts.
 */
import { z } from 'zod';
import { operatorOf } from '../../platform/auth/enforce.js';
import { siteScopeOfRequest } from '../../platform/change-context.js';
import { errorResponseSchema } from '../../platform/errors.js';
import type { AppModule } from '../module.js';
import { shiftParamsSchema } from '../takings/shifts/schemas.js';
import { shiftReportPrintModel } from './shift-prints.js';
import { renderShiftReportEscPos, renderShiftReportPdf } from './shift-report.js';

type Routes = AppModule['routes'];

const errors = { 400: errorResponseSchema, 403: errorResponseSchema, 404: errorResponseSchema };

export const shiftReportRoutes = (async (app, { services: { shifts, venues, ticketTypes } }) => {
  const tags = ['printing'];
  const modelOf = async (request: Parameters<typeof operatorOf>[0], shiftId: string) => {
    const operator = operatorOf(request);
    const report = await shifts.report(
      shiftId,
      {
        id: operator.id,
        username: operator.username,
        supervisor: operator.permissions.has('shifts.approve'),
      },
      siteScopeOfRequest(request),
    );
    return shiftReportPrintModel(report, { venues, ticketTypes }, Date.now());
  };
  app.get(
    '/shifts/:shiftId/report.pdf',
    {
      config: { access: 'shifts.read' },
      schema: {
        tags,
        summary: '打印交接班报表 PDF（80 mm 卷纸）/ Shift report PDF for an 80 mm roll',
        params: shiftParamsSchema,
        response: { 200: z.unknown().describe('application/pdf'), ...errors },
      },
    },
    async (request, reply) =>
      reply
        .type('application/pdf')
        .send(await renderShiftReportPdf(await modelOf(request, request.params.shiftId))),
  );
  app.get(
    '/shifts/:shiftId/escpos',
    {
      config: { access: 'shifts.read' },
      schema: {
        tags,
        summary: '交接班报表 ESC/POS 字节流 / Shift report as ESC/POS bytes for the thermal printer',
        params: shiftParamsSchema,
        response: { 200: z.unknown().describe('application/octet-stream'), ...errors },
      },
    },
    async (request, reply) =>
      reply
        .type('application/octet-stream')
        .send(renderShiftReportEscPos(await modelOf(request, request.params.shiftId))),
  );
}) satisfies Routes;
