import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseBackends } from '../../db/testing.js';
import { type AuthTestApp, createAuthTestApp } from '../../platform/auth/testing.js';
import { residentIdCheckCharacter } from '../../platform/identity/resident-id.js';
import { seedVenue, TYPES } from '../tickets/testing.js';
import { hasPoppler, pdfText, popplerRequired } from './testing/readback.js';

const DAY_MS = 86_400_000;
const visitDate = (daysAhead: number) => new Date(Date.now() + daysAhead * DAY_MS).toISOString().slice(0, 10);
const ADULT_ID = (() => {
  const first17 = '11010519900307451';
  return first17 + residentIdCheckCharacter(first17);
})();

describe.each(databaseBackends())('print routes on $name', (backend) => {
  let env: AuthTestApp;
  let sale: { id: string; tickets: { ticketId: number }[] };

  const get = (url: string, role: 'cashier' | 'finance' | 'gate_staff' = 'cashier') =>
    env.app.inject({ method: 'GET', url, headers: env.as(role) });

  const auditActions = async () =>
    (
      await env.test.database.db
        .selectFrom('audit_log')
        .select(['action', 'entity_id'])
        .orderBy('seq')
        .execute()
    ).filter((row) => row.action.startsWith('ticket.'));

  beforeAll(async () => {
    env = await createAuthTestApp(backend, { CREDENTIAL_SECRET: 'test-secret-test-secret-test-secret!' });
    await seedVenue(env.test.database.db);
    const response = await env.app.inject({
      method: 'POST',
      url: '/api/v1/sales',
      headers: { ...env.as('cashier'), 'idempotency-key': 'print-1' },
      payload: {
        siteId: 'park',
        windowId: 'W01',
        lines: [
          { typeId: TYPES.adult, quantity: 1, visitDate: visitDate(3) },
          {
            typeId: TYPES.realName,
            quantity: 1,
            visitDate: visitDate(3),
            holders: [{ name: '李四', idNumber: ADULT_ID }],
          },
        ],
        payments: [{ method: 'cash', amountFen: 20_000 }],
      },
    });
    expect(response.statusCode).toBe(201);
    sale = response.json();
  });
  afterAll(() => env.dispose());

  it('prints the sale tickets as a PDF, logs the print, and refuses gate staff', async () => {
    const response = await get(`/api/v1/sales/${sale.id}/tickets.pdf`, 'finance');
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('application/pdf');
    expect(response.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
    const a4 = await get(`/api/v1/sales/${sale.id}/tickets.pdf?page=a4`);
    expect(a4.statusCode).toBe(200);
    expect((await get(`/api/v1/sales/${sale.id}/tickets.pdf`, 'gate_staff')).statusCode).toBe(403);
    expect((await get(`/api/v1/sales/${sale.id}/tickets.pdf?page=huge`)).statusCode).toBe(400);
    expect((await get('/api/v1/sales/no-such-sale/tickets.pdf')).statusCode).toBe(404);
    const logged = await auditActions();
    expect(logged.filter((row) => row.action === 'ticket.print')).toHaveLength(2);
  });

  it('prints the receipt and ESC/POS bytes for tickets and receipt', async () => {
    const receipt = await get(`/api/v1/sales/${sale.id}/receipt.pdf`);
    expect(receipt.statusCode).toBe(200);
    expect(receipt.headers['content-type']).toBe('application/pdf');
    for (const what of ['tickets', 'receipt']) {
      const bytes = await get(`/api/v1/sales/${sale.id}/escpos?what=${what}`);
      expect(bytes.statusCode).toBe(200);
      expect(bytes.headers['content-type']).toBe('application/octet-stream');
      // ESC @ (initialise) opens every job.
      expect([...bytes.rawPayload.subarray(0, 2)]).toEqual([0x1b, 0x40]);
    }
    expect((await get(`/api/v1/sales/${sale.id}/escpos?what=nothing`)).statusCode).toBe(400);
  });

  it('reprints one ticket for a cashier only, and writes the reprint to the operation log', async () => {
    const ticketId = sale.tickets[0]!.ticketId;
    expect((await get(`/api/v1/tickets/${ticketId}/ticket.pdf`, 'finance')).statusCode).toBe(403);
    const response = await get(`/api/v1/tickets/${ticketId}/ticket.pdf`);
    expect(response.statusCode).toBe(200);
    const reprints = (await auditActions()).filter((row) => row.action === 'ticket.reprint');
    expect(reprints).toEqual([{ action: 'ticket.reprint', entity_id: String(ticketId) }]);
    expect((await get('/api/v1/tickets/999999/ticket.pdf')).statusCode).toBe(404);
  });

  it.runIf(hasPoppler || popplerRequired)(
    'prints the type names, masked ID and receipt lines (pdftotext)',
    async () => {
      const text = pdfText((await get(`/api/v1/sales/${sale.id}/tickets.pdf`)).rawPayload);
      for (const s of [
        '成人票',
        '实名票',
        '公园',
        '李四',
        `${ADULT_ID.slice(0, 4)}**********${ADULT_ID.slice(-4)}`,
        String(sale.tickets[0]!.ticketId),
      ])
        expect(text).toContain(s);
      expect(text).not.toContain(ADULT_ID);
      const receipt = pdfText((await get(`/api/v1/sales/${sale.id}/receipt.pdf`)).rawPayload);
      expect(receipt).toContain('成人票');
      expect(receipt).toContain('200.00');
    },
  );
});
