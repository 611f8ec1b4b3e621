import { serializerCompiler } from 'fastify-type-provider-zod';
import { describe, expect, it } from 'vitest';
import { fastSuccessSerializer } from './response-serializer.js';
import { type Sale, saleSchema } from './schemas.js';

const route = (httpStatus: string) =>
  ({ schema: saleSchema, method: 'POST', url: '/api/v1/sales/', httpStatus }) as never;
const fast = fastSuccessSerializer(route('201')) as (data: unknown) => string;
const zod = serializerCompiler(route('201')) as (data: unknown) => string;

const ticket = (ticketId: number, saleLine: number): Sale['tickets'][number] => ({
  ticketId,
  siteId: 'park',
  typeId: 7,
  typeVersion: 2,
  typeName: { zh: '成人票 "甲"', en: 'Adult \\ <one>' },
  kind: 'single',
  status: 'active',
  visitDate: '2026-11-26',
  validFrom: 1_764_086_400_000,
  validTo: 1_764_172_800_000,
  entriesTotal: saleLine === 1 ? 1 : null,
  entriesUsed: 0,
  persons: 1,
  slot: saleLine === 1 ? { id: 'slot-a', start: 1_764_118_800_000, end: 1_764_122_400_000 } : null,
  holder: saleLine === 2 ? { name: '张三\n', idMasked: '1101**********1234' } : null,
  priceFen: 5_000,
  saleId: 'sale-1',
  saleLine,
  qrText: 'Q'.repeat(122),
  keyId: 3,
  flags: 4,
  barcode: saleLine === 2 ? '123456789012' : null,
  cardUid: null,
  createdAt: 1_764_100_000_000,
  updatedAt: 1_764_100_000_000,
});

const sale: Sale = {
  id: 'sale-1',
  siteId: 'park',
  windowId: null,
  channel: 'window',
  cashier: { id: 'op-1', username: 'cashier_a' },
  totalFen: 15_000,
  paidFen: 20_000,
  changeFen: 5_000,
  ticketCount: 3,
  persons: 3,
  createdAt: 1_764_100_000_000,
  customerId: 'customer-1',
  lines: [
    {
      lineNo: 1,
      typeId: 7,
      typeVersion: 2,
      typeName: { zh: '成人票', en: 'Adult' },
      visitDate: '2026-11-26',
      slot: { id: 'slot-a', start: 1_764_118_800_000, end: 1_764_122_400_000 },
      quantity: 2,
      persons: 1,
      amountFen: 10_000,
    },
    {
      lineNo: 2,
      typeId: 7,
      typeVersion: 2,
      typeName: { zh: '成人票', en: 'Adult' },
      visitDate: '2026-11-27',
      slot: null,
      quantity: 1,
      persons: 1,
      amountFen: 5_000,
    },
  ],
  payments: [
    { method: 'cash', amountFen: 15_000 },
    { method: 'wechat', amountFen: 5_000 },
  ],
  tickets: [ticket(2 ** 40 - 1, 1), ticket(1, 1), ticket(99, 2)],
};

describe('the sale answer serializer', () => {
  it('writes exactly what the zod serializer writes', () => {
    expect(fast(sale)).toBe(zod(sale));
    const empty = { ...sale, lines: [], payments: [], tickets: [] };
    expect(fast(empty)).toBe(zod(empty));
  });

  it('leaves out properties the schema does not have, at every level', () => {
    const extra = {
      ...sale,
      requestHash: 'secret',
      cashier: { ...sale.cashier, passwordHash: 'x' },
      tickets: sale.tickets.map((t) => ({ ...t, holderIdHash: 'h' })),
    };
    const text = fast(extra);
    expect(text).toBe(zod(extra));
    expect(text).not.toMatch(/requestHash|passwordHash|holderIdHash/);
  });

  it('refuses an answer that lacks a required property instead of sending it', () => {
    const { tickets: _, ...partial } = sale;
    expect(() => fast(partial)).toThrow();
  });

  it('leaves error answers to the zod serializer, which also checks value types', () => {
    // A fraction where an integer belongs: coerced by the fast serializer (typed code builds sales), refused by zod.
    const wrong = { ...sale, totalFen: 1.5 };
    expect(() => fast(wrong)).not.toThrow();
    const errorRoute = fastSuccessSerializer(route('404')) as (data: unknown) => string;
    expect(() => errorRoute(wrong)).toThrow();
    expect(errorRoute(sale)).toBe(zod(sale));
  });
});
