import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseBackends } from '../../db/testing.js';
import { type AuthTestApp, createAuthTestApp } from '../../platform/auth/testing.js';
import { residentIdCheckCharacter } from '../../platform/identity/resident-id.js';
import type { SeedRole } from '../../platform/permissions.js';
import { TICKET_TYPE_TEMPLATES, type TicketTypeTemplate } from './templates.js';

const DAY_MS = 86_400_000;
const visitDate = new Date(Date.now() + 8 * 3_600_000 + 10 * DAY_MS).toISOString().slice(0, 10);
const visitYear = Number(visitDate.slice(0, 4));
/** A resident ID number of someone `age` years old on the visit date (born on 1 January). */
const idOfAge = (age: number, serial: string) => {
  const first17 = `110101${visitYear - age}0101${serial}`;
  return first17 + residentIdCheckCharacter(first17);
};

describe.each(databaseBackends())('ticket type templates on $name', (backend) => {
  let env: AuthTestApp;
  let templates: TicketTypeTemplate[];
  const inject = (method: 'GET' | 'POST', url: string, role: SeedRole, payload?: object, key?: string) =>
    env.app.inject({
      method,
      url,
      headers: { ...env.as(role), ...(key && { 'idempotency-key': key }) },
      ...(payload && { payload }),
    });

  beforeAll(async () => {
    env = await createAuthTestApp(backend, { CREDENTIAL_SECRET: 'test-secret-test-secret-test-secret!' });
    const name = (text: string) => ({ zh: text, en: text });
    expect(
      (await inject('POST', '/api/v1/sites', 'admin', { id: 'lake', name: name('湖') })).statusCode,
    ).toBe(201);
    const window = await inject('POST', '/api/v1/sites/lake/windows', 'admin', {
      id: 'W1',
      name: name('W1'),
    });
    expect(window.statusCode).toBe(201);
    const response = await inject('GET', '/api/v1/ticket-types/templates', 'cashier');
    expect(response.statusCode).toBe(200);
    templates = response.json();
  });
  afterAll(() => env.dispose());

  it('lists the adult, child and senior tickets, the 10-entry card and the month, quarter and year passes', async () => {
    expect(templates.map((t) => [t.key, t.name['zh-CN'], t.body.kind, t.body.entries])).toEqual([
      ['adult', '成人票', 'single', 1],
      ['child', '儿童票', 'single', 1],
      ['senior', '老人票', 'single', 1],
      ['count10', '十次卡', 'count', 10],
      ['month', '月卡', 'month_pass', null],
      ['quarter', '季卡', 'quarter_pass', null],
      ['year', '年卡', 'year_pass', null],
    ]);
    for (const template of templates) {
      expect(template.description['zh-CN'].length, template.key).toBeGreaterThan(10);
      expect(template.description.en.length, template.key).toBeGreaterThan(10);
      expect(template.body, template.key).not.toHaveProperty('typeId');
      expect(template.body, template.key).not.toHaveProperty('siteId');
      expect(Number.isSafeInteger(template.body.prices.window), template.key).toBe(true);
      expect(template.body.prices.window, template.key).toBeGreaterThan(0);
    }
    // Child and senior rules are the age-policy preset's own.
    const presets = (await inject('GET', '/api/v1/age-policy-presets', 'admin')).json();
    const preset = presets.find((p: { id: string }) => p.id === 'child-free-minor-senior-half');
    const rulesOf = (key: string) => {
      const discounts = templates.find((t) => t.key === key)!.body.ageDiscounts;
      return discounts.source === 'custom' ? discounts.rules : [];
    };
    expect([...rulesOf('child'), ...rulesOf('senior')]).toEqual(preset.rules);
    expect(rulesOf('child').map((r) => [r.minAge, r.maxAge])).toEqual([
      [0, 6],
      [6, 18],
    ]);
  });

  it('is not taken for a type id, and needs ticket_types.read', async () => {
    const control = await inject('GET', '/api/v1/ticket-types/templates', 'control_room');
    expect([control.statusCode, control.json().error.code]).toEqual([403, 'FORBIDDEN']);
    const document = (await env.app.inject({ method: 'GET', url: '/docs/json' })).json();
    expect(document.paths['/api/v1/ticket-types/templates'].get.summary).toMatch(/票种模板.*templates/);
  });

  it('every body, with a type id and the site filled in, creates that type and sells', async () => {
    const adult = idOfAge(35, '011');
    const holders: Record<string, { idNumber: string; priceFen: number }> = {
      child: { idNumber: idOfAge(10, '021'), priceFen: 5_000 },
      senior: { idNumber: idOfAge(70, '031'), priceFen: 5_000 },
      month: { idNumber: adult, priceFen: 20_000 },
      quarter: { idNumber: adult, priceFen: 50_000 },
      year: { idNumber: adult, priceFen: 120_000 },
    };
    for (const [index, template] of templates.entries()) {
      const typeId = 600 + index;
      const created = await inject('POST', '/api/v1/ticket-types', 'admin', {
        ...template.body,
        typeId,
        siteId: 'lake',
      });
      expect(created.statusCode, `${template.key}: ${created.body}`).toBe(201);
      expect(created.json(), template.key).toMatchObject({
        ...template.body,
        typeId,
        version: 1,
        active: true,
      });

      const holder = holders[template.key];
      const priceFen = holder?.priceFen ?? template.body.prices.window!;
      const sale = await inject(
        'POST',
        '/api/v1/sales',
        'cashier',
        {
          siteId: 'lake',
          windowId: 'W1',
          lines: [
            {
              typeId,
              quantity: 1,
              visitDate,
              ...(holder && { holders: [{ name: '游客', idNumber: holder.idNumber }] }),
            },
          ],
          payments: [{ method: 'cash', amountFen: priceFen }],
        },
        `template-${template.key}`,
      );
      expect(sale.statusCode, `${template.key}: ${sale.body}`).toBe(201);
      const [ticket] = sale.json().tickets;
      expect(ticket, template.key).toMatchObject({
        typeId,
        kind: template.body.kind,
        entriesTotal: template.body.entries,
        priceFen,
      });
      expect(ticket.holder !== null, template.key).toBe(template.body.realName === 'per_ticket');
    }
    // A discounted child ticket is one per person and day.
    const again = await inject(
      'POST',
      '/api/v1/sales',
      'cashier',
      {
        siteId: 'lake',
        windowId: 'W1',
        lines: [
          {
            typeId: 601,
            quantity: 1,
            visitDate,
            holders: [{ name: '游客', idNumber: holders.child!.idNumber }],
          },
        ],
        payments: [{ method: 'cash', amountFen: 5_000 }],
      },
      'template-child-again',
    );
    expect(again.json().error.code).toBe('PER_ID_LIMIT_EXCEEDED');
  });

  it('are frozen: a reader cannot change what the next request gets', () => {
    expect(() => {
      (TICKET_TYPE_TEMPLATES[0]!.body.prices as { window: number }).window = 1;
    }).toThrow(TypeError);
  });
});
