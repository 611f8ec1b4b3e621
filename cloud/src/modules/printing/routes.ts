/**
 * Printouts of sales: the tickets (PDF stub or A4 sheet, or ESC/POS for the window's thermal printer), the receipt,
 * and a reprint of one ticket. Reading a sale's printouts needs sales.read; reprinting one ticket is a counter task
 * and needs sales.sell. The shift report's printouts are shift-report-routes.ts. Every ticket printout is written to the operation log (sale-prints.ts says why).
 */
import { z } from 'zod';
import { changeContextOf, siteScopeOfRequest } from '../../platform/change-context.js';
import { errorResponseSchema } from '../../platform/errors.js';
import type { AppModule } from '../module.js';
import { saleParamsSchema } from '../sales/schemas.js';
import { ticketParamsSchema } from '../tickets/schemas.js';
import { renderReceiptEscPos, renderReceiptPdf, renderTicketsEscPos, renderTicketsPdf } from './service.js';
import { shiftReportRoutes } from './shift-report-routes.js';

const errors = { 400: errorResponseSchema, 404: errorResponseSchema, 409: errorResponseSchema };
/** Bytes go out as they are (Fastify never serialises a Buffer); the schema only documents the response. */
const pdfResponse = { 200: z.unknown().describe('application/pdf'), ...errors };
const rawResponse = { 200: z.unknown().describe('application/octet-stream'), ...errors };
const PDF = 'application/pdf';
const RAW = 'application/octet-stream';

export const printingModule: AppModule = {
  name: 'printing',
  prefix: '/api/v1',
  routes: async (app, context) => {
    const { prints } = context.services;
    const tags = ['printing'];
    await shiftReportRoutes(app, context);

    app.get(
      '/sales/:saleId/tickets.pdf',
      {
        config: { access: 'sales.read' },
        schema: {
          tags,
          summary:
            '打印门票 PDF（80×150 mm 票根或 A4 四联）/ Ticket PDF: 80×150 mm stubs or four per A4 sheet',
          params: saleParamsSchema,
          querystring: z.object({ page: z.enum(['stub', 'a4']).default('stub') }),
          response: pdfResponse,
        },
      },
      async (request, reply) => {
        const { sale, models } = await prints.ticketsOfSale(
          request.params.saleId,
          siteScopeOfRequest(request),
        );
        const pdf = await renderTicketsPdf(models, { page: request.query.page });
        await prints.recordPrint(changeContextOf(request), {
          saleId: sale.id,
          ticketIds: models.map((m) => Number(m.serial)),
          format: request.query.page === 'a4' ? 'pdf_a4' : 'pdf_stub',
          reprint: false,
        });
        return reply.type(PDF).send(pdf);
      },
    );
    app.get(
      '/sales/:saleId/receipt.pdf',
      {
        config: { access: 'sales.read' },
        schema: {
          tags,
          summary: '打印收据 PDF（80 mm 卷纸）/ Sale receipt PDF for an 80 mm roll',
          params: saleParamsSchema,
          response: pdfResponse,
        },
      },
      async (request, reply) =>
        reply
          .type(PDF)
          .send(
            await renderReceiptPdf(
              await prints.receiptOf(request.params.saleId, siteScopeOfRequest(request)),
            ),
          ),
    );
    app.get(
      '/sales/:saleId/escpos',
      {
        config: { access: 'sales.read' },
        schema: {
          tags,
          summary:
            '热敏打印机 ESC/POS 字节流：门票或收据 / ESC/POS bytes for the thermal printer: tickets or receipt',
          params: saleParamsSchema,
          querystring: z.object({ what: z.enum(['tickets', 'receipt']) }),
          response: rawResponse,
        },
      },
      async (request, reply) => {
        const scope = siteScopeOfRequest(request);
        if (request.query.what === 'receipt')
          return reply
            .type(RAW)
            .send(renderReceiptEscPos(await prints.receiptOf(request.params.saleId, scope)));
        const { sale, models } = await prints.ticketsOfSale(request.params.saleId, scope);
        const bytes = renderTicketsEscPos(models);
        await prints.recordPrint(changeContextOf(request), {
          saleId: sale.id,
          ticketIds: models.map((m) => Number(m.serial)),
          format: 'escpos',
          reprint: false,
        });
        return reply.type(RAW).send(bytes);
      },
    );
    app.get(
      '/tickets/:ticketId/ticket.pdf',
      {
        config: { access: 'sales.sell' },
        schema: {
          tags,
          summary: '补打一张门票（记入操作日志）/ Reprint one ticket (written to the operation log)',
          params: ticketParamsSchema,
          querystring: z.object({ page: z.enum(['stub', 'a4']).default('stub') }),
          response: pdfResponse,
        },
      },
      async (request, reply) => {
        const { ticket, model } = await prints.ticket(request.params.ticketId, siteScopeOfRequest(request));
        const pdf = await renderTicketsPdf([model], { page: request.query.page });
        await prints.recordPrint(changeContextOf(request), {
          saleId: ticket.saleId,
          ticketIds: [ticket.ticketId],
          format: request.query.page === 'a4' ? 'pdf_a4' : 'pdf_stub',
          reprint: true,
        });
        return reply.type(PDF).send(pdf);
      },
    );
  },
};
