/**
 * The site matrix (per-site access, platform/site-scope.ts): every registered route, called by an administrator
 * limited to site `alpha` with the ids, query and body of site `bravo`'s data, must behave as if bravo's data did
 * not exist — by id 404, lists without it, creating in bravo 403 SITE_FORBIDDEN — and must write nothing. Routes
 * over what all sites share (`allSites`) answer 403 SITE_FORBIDDEN. One test per module, each walking that
 * module's routes; new routes join by being registered.
 *
 * What shows the inputs are real: each read is made by an unlimited administrator first, and a route whose answer
 * then names bravo's data (a marker: bravo's ids and names) must not name any to the limited one. A route whose
 * answer names nothing of bravo even to the administrator is listed in `unproven` and must stay a short known list.
 */
import { generateBarcode } from '@scenic/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createContainer } from './container.js';
import { databaseBackends } from './db/testing.js';
import { type DeclaredRoute, declaredRoutes } from './platform/auth/enforce.js';
import { type AuthTestApp, createAuthTestApp } from './platform/auth/testing.js';
import { type Fixtures, type JsonSchema, sampleFromSchema } from './platform/fuzz/inputs.js';
import { routeInputsOf } from './platform/fuzz/route-inputs.js';
import { installWriteCounter, type WriteCounter } from './platform/fuzz/write-counter.js';
import { siteScopeOf } from './platform/site-scope.js';
import { openEventStream } from './platform/testing.js';
import { silentLogger } from './testing/app.js';

const DAY_MS = 86_400_000;
const dateIn = (days: number) =>
  new Date(Date.now() + 8 * 3_600_000 + days * DAY_MS).toISOString().slice(0, 10);
const STREAM_MS = 1_500;
/** Routes that serve no site's data: signing in, health and metrics. */
const NOT_SITE_DATA = /^\/(api\/v1\/auth\/|healthz|metrics)/;
const LIMITED_PASSWORD = 'alpha-admin-password-2';
/** Changes whose answer to something missing is not a 404: a stock range of another site is no range at all. */
const MISSING_ANSWERS: Readonly<Record<string, string>> = {
  'POST /api/v1/stock/issue': 'STOCK_RANGE_INVALID',
  'POST /api/v1/stock/return': 'STOCK_RANGE_INVALID',
  'POST /api/v1/stock/void': 'STOCK_RANGE_INVALID',
};
/** Fixtures that narrow a list to nothing of bravo's (another cashier, a ticket without history): not filters. */
const UNFILTERED = ['id', 'code', 'cashierId', 'ticketId'];
/**
 * Lists whose answer names nothing of bravo even to an administrator: what every site shares (the broker's address,
 * the public keys, who may receive stock, the templates) and one's own stock (the administrator holds none). A read
 * by id needs no entry: the administrator's 200 against the limited operator's 404 proves it.
 */
const UNPROVEN = [
  'GET /api/v1/age-policy-presets',
  // An agency operator's own agency (the administrator is linked to none): agencies are venue-wide.
  'GET /api/v1/agencies/mine',
  'GET /api/v1/agencies/mine/ledger',
  'GET /api/v1/agencies/mine/statement',
  'GET /api/v1/agencies/mine/statement/export',
  'GET /api/v1/agencies/mine/types',
  'GET /api/v1/gates/broker',
  // The holiday calendar is every site's.
  'GET /api/v1/holidays',
  'GET /api/v1/holidays/bases',
  // Figures only (sums by day, by hour and weekday): nothing to name. reports/routes.test.ts checks their scope.
  'GET /api/v1/reports/analysis/compare',
  'GET /api/v1/reports/analysis/compare/export',
  'GET /api/v1/reports/analysis/heatmap',
  'GET /api/v1/reports/analysis/heatmap/export',
  // Operators are venue-wide: who may take a till over or receive stock, names only.
  'GET /api/v1/shifts/successors',
  'GET /api/v1/signing-keys',
  'GET /api/v1/stock/balances/mine',
  'GET /api/v1/stock/cashiers',
  'GET /api/v1/ticket-types/templates',
];

interface RouteInfo extends DeclaredRoute {
  readonly key: string;
  readonly module: string;
  readonly pathParams: readonly string[];
  readonly query: JsonSchema | undefined;
  readonly headers: JsonSchema | undefined;
  readonly body: JsonSchema | undefined;
}

interface Answer {
  readonly status: number;
  readonly code: string | undefined;
  readonly text: string;
}

/** The module a route belongs to, by its first path segment after /api/v1 (sites' sub-resources are venues'). */
function moduleOf(url: string): string {
  const segment = url.replace(/^\/api\/v1\//, '').split('/')[0] ?? '';
  if (url.startsWith('/api/channel/')) return 'channel';
  if (url.endsWith('/whitelist/lag')) return 'whitelist';
  if (url.includes('/credentials') || url.endsWith('/gates/broker')) return 'gate-access';
  if (/\/gates\/:gateId\/(config|settings)$/.test(url)) return 'gate-config';
  if (url.startsWith('/api/v1/gates/status')) return 'gate-status';
  if (['age-policy-presets', 'sites'].includes(segment)) return 'venues';
  if (['roles', 'permissions'].includes(segment)) return 'operators';
  if (segment === 'credential-keys') return 'signing-keys';
  if (url.startsWith('/api/v1/sales/:saleId/') || url.endsWith('/ticket.pdf')) return 'printing';
  return segment;
}

describe.each(databaseBackends())('site matrix on $name', (backend) => {
  let env: AuthTestApp;
  let counter: WriteCounter;
  let routes: RouteInfo[];
  let limited: string;
  /** The partners' routes take keys: one for both sites (the administrator's part), one limited to alpha. */
  let bothSitesKey: string;
  let alphaKey: string;
  let port: number;
  const ids: Record<string, string | number> = {};
  /** What only bravo's data contains: a limited operator's answer naming one of these has leaked. */
  const markers: string[] = [];
  let fixtures: Fixtures;

  beforeAll(async () => {
    env = await createAuthTestApp(backend, { CREDENTIAL_SECRET: 'site-secret-site-secret-site-secret!' });
    await seedSites();
    routes = routeInfos();
    await env.app.listen({ port: 0, host: '127.0.0.1' });
    port = (env.app.server.address() as { port: number }).port;
    counter = await installWriteCounter(env.test.database);
  }, 120_000);
  afterAll(() => env?.dispose());

  async function api(method: string, url: string, payload?: object, headers: Record<string, string> = {}) {
    const response = await env.app.inject({
      method: method as 'POST',
      url,
      headers: { ...env.as('admin'), ...headers },
      ...(payload && { payload }),
    });
    if (response.statusCode >= 300)
      throw new Error(`fixture ${method} ${url} → ${response.statusCode} ${response.body}`);
    return response.statusCode === 204 ? undefined : response.json();
  }

  /** Two sites with the same kinds of data; bravo's ids and names are the markers. */
  async function seedSites(): Promise<void> {
    const name = (s: string) => ({ zh: s, en: s });
    for (const [site, zone, window, gate, typeId, code] of [
      ['alpha', 'zalpha', 'WALPHA', 'GALPHA1', 301, 'ALPHA301'],
      ['bravo', 'zbravo', 'WBRAVO', 'GBRAVO1', 302, 'BRAVO302'],
    ] as const) {
      await api('POST', '/api/v1/sites', { id: site, name: name(`Site ${site}`), timezone: 'Asia/Shanghai' });
      await api('POST', `/api/v1/sites/${site}/zones`, { id: zone, name: name(`Zone ${zone}`) });
      await api('POST', `/api/v1/sites/${site}/windows`, { id: window, name: name(`Window ${window}`) });
      await api('POST', `/api/v1/sites/${site}/gates`, {
        id: gate,
        zoneId: zone,
        direction: 'both',
        kind: 'tripod',
        name: name(`Gate ${gate}`),
      });
      await api('POST', '/api/v1/ticket-types', {
        typeId,
        siteId: site,
        code,
        name: name(`Type ${code}`),
        kind: 'single',
        prices: { window: 10_000 },
      });
      await api('PUT', `/api/v1/occupancy/sites/${site}/capacity`, { capacity: 5_000 });
    }
    await api('POST', '/api/v1/ticket-types', {
      typeId: 303,
      siteId: 'bravo',
      code: 'BRAVO303',
      name: name('Type BRAVO303'),
      kind: 'single',
      prices: { window: 20_000 },
    });
    markers.push(
      'bravo',
      'zbravo',
      'WBRAVO',
      'GBRAVO1',
      'BRAVO302',
      'BRAVO303',
      'Site bravo',
      'Gate GBRAVO1',
    );
    const slots = await api('POST', '/api/v1/capacity/slots', {
      siteId: 'bravo',
      date: dateIn(20),
      slots: [{ start: '09:00', end: '10:00', cap: 500 }],
    });
    ids.slotId = slots[0].id;
    const sale = await api(
      'POST',
      '/api/v1/sales',
      {
        siteId: 'bravo',
        windowId: 'WBRAVO',
        lines: [{ typeId: 302, quantity: 3, visitDate: dateIn(10) }],
        payments: [{ method: 'cash', amountFen: 30_000 }],
      },
      { 'idempotency-key': 'site-bravo-sale' },
    );
    ids.saleId = sale.id;
    markers.push(sale.id);
    const [first, second, third] = sale.tickets.map((t: { ticketId: number }) => t.ticketId);
    ids.ticketId = third;
    ids.qr = sale.tickets[2].qrText;
    const refund = await api(
      'POST',
      '/api/v1/refunds',
      { saleId: sale.id, ticketIds: [first] },
      { 'idempotency-key': 'site-bravo-refund' },
    );
    ids.refundId = refund.id;
    markers.push(refund.id);
    const supplement = await api(
      'POST',
      '/api/v1/supplements',
      {
        kind: 'fee',
        ticketId: second,
        windowId: 'WBRAVO',
        reason: 'other',
        amountFen: 100,
        payments: [{ method: 'cash', amountFen: 100 }],
      },
      { 'idempotency-key': 'site-bravo-supplement' },
    );
    ids.supplementId = supplement.id;
    markers.push(supplement.id);
    // An IC card of bravo: a count card sold with it, under bravo's card deposit.
    await api('PUT', '/api/v1/cards/deposits/bravo', { depositFen: 1_000 });
    await api('POST', '/api/v1/ticket-types', {
      typeId: 304,
      siteId: 'bravo',
      code: 'BRAVO304',
      name: name('Type BRAVO304'),
      kind: 'count',
      prices: { window: 10_000 },
    });
    await api(
      'POST',
      '/api/v1/sales',
      {
        siteId: 'bravo',
        windowId: 'WBRAVO',
        lines: [{ typeId: 304, quantity: 1, visitDate: dateIn(10), cardUids: ['B5B6B7B8'] }],
        payments: [{ method: 'cash', amountFen: 11_000 }],
      },
      { 'idempotency-key': 'site-bravo-card-sale' },
    );
    ids.uid = 'B5B6B7B8';
    await seedCustomers();
    const order = await api('POST', '/api/v1/group-orders', {
      siteId: 'bravo',
      reference: 'site-bravo-order',
      visitDate: dateIn(10),
      lines: [{ typeId: 302, quantity: 2 }],
    });
    ids.orderId = order.id;
    markers.push(order.id);
    // Picked up, so its tickets print.
    await api('POST', `/api/v1/group-orders/${order.id}/confirm`);
    await api('POST', `/api/v1/group-orders/${order.id}/pick-up`, {
      windowId: 'WBRAVO',
      issue: 'group',
      payments: [{ method: 'cash', amountFen: 20_000 }],
    });
    // A till shift at bravo's window, open (the administrator's own), and bravo's days and month to report.
    const shift = await api('POST', '/api/v1/shifts', {
      siteId: 'bravo',
      windowId: 'WBRAVO',
      floatFen: 1_000,
    });
    ids.shiftId = shift.id;
    ids.month = dateIn(0).slice(0, 7);
    markers.push(shift.id);
    const batch = await api('POST', '/api/v1/stock/batches/generate', { ticketTypeId: 302, count: 20 });
    ids.batchId = batch.batchId;
    ids.code = batch.codes[0];
    markers.push(`"batchId":${batch.batchId}`, batch.codes[0]);
    await api('POST', '/api/v1/stock/issue', {
      cashierId: env.operators.cashier.id,
      range: { batchId: batch.batchId, fromSeq: 1, toSeq: 2 },
    });
    await api('POST', '/api/v1/gates/GBRAVO1/credentials');
    await api('PUT', '/api/v1/supplements/fee-rates', { typeId: 302, reason: 'overstay', amountFen: 500 });
    markers.push('"typeId":302', '"typeId":303', '"ticketTypeId":302');
    await seedGateData();

    // The operator under test: every permission, limited to alpha. Created over the API, as an administrator would.
    const created = await api('POST', '/api/v1/operators', {
      username: 'alpha_admin',
      displayName: 'Alpha admin',
      password: 'alpha-admin-password-1',
      roles: ['admin'],
      siteIds: ['alpha'],
    });
    expect(created.siteIds).toEqual(['alpha']);
    const login = await env.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { username: 'alpha_admin', password: 'alpha-admin-password-1' },
    });
    expect(login.json().operator.siteIds).toEqual(['alpha']);
    limited = `Bearer ${login.json().token}`;
    const key = async (siteIds: string[]) =>
      `Bearer ${(await api('POST', '/api/v1/channel-keys', { name: 'OTA', channel: 'ota', siteIds, ratePerMinute: 60_000 })).secret}`;
    bothSitesKey = await key(['alpha', 'bravo']);
    alphaKey = await key(['alpha']);
    // A key's first use records when it was last used (then at most once a minute): bookkeeping done here, so the
    // matrix's write count sees only what the routes themselves write.
    for (const authorization of [bothSitesKey, alphaKey])
      await env.app.inject({
        method: 'GET',
        url: `/api/channel/v1/availability?siteId=alpha&date=${dateIn(1)}`,
        headers: { authorization },
      });
    // A booking in bravo placed through the channel API by the key that reaches both sites (a key without an agency
    // sees only the bookings it placed).
    const booked = await env.app.inject({
      method: 'POST',
      url: '/api/channel/v1/bookings',
      headers: { authorization: bothSitesKey },
      payload: {
        siteId: 'bravo',
        reference: 'site-bravo-booking',
        visitDate: dateIn(10),
        lines: [{ typeId: 302, quantity: 2 }],
      },
    });
    expect(booked.statusCode, booked.body).toBe(201);
    ids.bookingId = booked.json().id;
    ids.reference = 'site-bravo-booking';
    markers.push(booked.json().id);
    // Stubs of bravo in the limited operator's own hands (handed out before they were limited, say): their own
    // balance still shows only alpha's.
    await api('POST', '/api/v1/stock/issue', {
      cashierId: created.id,
      range: { batchId: batch.batchId, fromSeq: 3, toSeq: 4 },
    });
    const changed = await env.app.inject({
      method: 'POST',
      url: '/api/v1/auth/password',
      headers: { authorization: limited },
      payload: { currentPassword: 'alpha-admin-password-1', newPassword: LIMITED_PASSWORD },
    });
    expect(changed.statusCode).toBe(204);
    fixtures = {
      siteId: 'bravo',
      zoneId: 'zbravo',
      windowId: 'WBRAVO',
      gateId: 'GBRAVO1',
      typeId: 302,
      ticketTypeId: 302,
      toTypeId: 303,
      version: 1,
      date: dateIn(10),
      visitDate: dateIn(10),
      cashierId: env.operators.cashier.id,
      id: created.id,
      code: String(ids.code),
      ...ids,
    };
  }

  /** A customer of each site with a member card, bravo's points rules and a sale made for bravo's customer. */
  async function seedCustomers(): Promise<void> {
    for (const site of ['alpha', 'bravo'] as const) {
      const customer = await api('POST', '/api/v1/customers', {
        siteId: site,
        name: `Customer ${site}`,
        phone: site === 'alpha' ? '13800000001' : '13800000002',
      });
      const card = await api('POST', `/api/v1/customers/${customer.id}/cards`, {
        cardUid: site === 'alpha' ? 'A1A2A3A4' : 'B1B2B3B4',
      });
      if (site === 'bravo') {
        ids.customerId = customer.id;
        ids.cardId = card.cards[0].id;
        markers.push(customer.id, 'Customer bravo');
      }
    }
    await api('PUT', '/api/v1/points/rules/bravo', {
      enabled: true,
      pointsPerYuan: 1,
      redeemPointsPerYuan: 100,
      expiry: 'never',
    });
    await api(
      'POST',
      '/api/v1/sales',
      {
        siteId: 'bravo',
        windowId: 'WBRAVO',
        customerId: ids.customerId,
        lines: [{ typeId: 302, quantity: 1, visitDate: dateIn(10) }],
        payments: [{ method: 'cash', amountFen: 10_000 }],
      },
      { 'idempotency-key': 'site-bravo-customer-sale' },
    );
  }

  /** What the gates report over MQTT, written as the MQTT side would (no broker in this test). */
  async function seedGateData(): Promise<void> {
    const db = env.test.database.db;
    const now = Date.now();
    for (const [site, zone, gate] of [
      ['alpha', 'zalpha', 'GALPHA1'],
      ['bravo', 'zbravo', 'GBRAVO1'],
    ] as const) {
      await db
        .insertInto('passage_events')
        .values({
          event_id: `ev-${gate}`,
          kind: 'passage',
          site_id: site,
          zone_id: zone,
          gate_id: gate,
          ticket_id: null,
          credential_kind: 'qr',
          direction: 'in',
          persons: 1,
          unconfirmed: 0,
          overdraft: 0,
          at: now - 60_000,
          received_at: now - 59_000,
          decided_offline: 0,
          entries_left: null,
          correlation_id: null,
          reason: null,
          code_hash: null,
        })
        .execute();
      await db
        .insertInto('gate_status')
        .values({
          gate_id: gate,
          site_id: site,
          online: 1,
          mode: 'normal',
          deny_unauthorized: null,
          firmware: '1.0.0',
          whitelist_version: 1,
          config_version: 1,
          since: now - 60_000,
          last_seen_at: now,
          last_state_at: now,
          last_heartbeat_at: now,
          uptime_sec: 60,
          scans: 1,
          admits: 1,
          denies: 0,
          outbox_depth: 0,
          degraded: null,
        })
        .execute();
      await db
        .insertInto('comm_log')
        .values({
          at: now - 30_000,
          direction: 'in',
          site_id: site,
          gate_id: gate,
          topic: `scenic/v1/${site}/${gate}/state`,
          channel: null,
          message_type: 'state',
          size: 10,
          result: 'ok',
          reason: null,
          latency_ms: null,
        })
        .execute();
      const commandId = `cmd-${gate}`;
      await db
        .insertInto('gate_commands')
        .values({
          id: commandId,
          action_kind: 'sync',
          action_json: '{"kind":"sync","full":false}',
          target_kind: 'gate',
          target_site_id: site,
          target_zone_id: zone,
          target_gate_id: gate,
          issued_by_id: null,
          issued_by_username: 'system',
          issued_at: now - 10_000,
          expires_at: now + 600_000,
          gate_count: 1,
          completed_at: null,
        })
        .execute();
      await db
        .insertInto('gate_command_results')
        .values({
          command_id: commandId,
          gate_id: gate,
          site_id: site,
          zone_id: zone,
          result: 'pending',
          reason: null,
          was_online: 1,
          expires_at: now + 600_000,
          acked_at: null,
          gate_at: null,
          latency_ms: null,
          late: 0,
        })
        .execute();
      await db
        .insertInto('occupancy_alerts')
        .values({
          site_id: site,
          zone_id: zone,
          day: dateIn(0),
          from_level: 0,
          to_level: 1,
          inside: 1,
          capacity: 1,
          at: now - 20_000,
        })
        .execute();
    }
    ids.commandId = 'cmd-GBRAVO1';
    markers.push('cmd-GBRAVO1', 'ev-GBRAVO1');
  }

  function routeInfos(): RouteInfo[] {
    const inputsOf = routeInputsOf(env.app);
    return declaredRoutes(env.app)
      .filter((r) => r.method !== 'HEAD' && !NOT_SITE_DATA.test(r.url))
      .map((r) => ({ ...r, key: `${r.method} ${r.url}`, module: moduleOf(r.url), ...inputsOf(r) }));
  }

  /** Bodies the schema sampler cannot build, each aimed at bravo's data. */
  function bodyFor(route: RouteInfo): unknown {
    const range = { batchId: ids.batchId, fromSeq: 1, toSeq: 2 };
    const table: Record<string, unknown> = {
      'POST /api/v1/sites/:siteId/zones': { id: 'znew', name: { zh: 'x', en: 'x' } },
      'POST /api/v1/sites/:siteId/windows': { id: 'wnew', name: { zh: 'x', en: 'x' } },
      'POST /api/v1/sites/:siteId/gates': {
        id: 'gnew',
        zoneId: 'zbravo',
        direction: 'in',
        kind: 'flap',
        name: { zh: 'x', en: 'x' },
      },
      'POST /api/v1/ticket-types': {
        typeId: 399,
        siteId: 'bravo',
        code: 'BRAVO399',
        name: { zh: 'x', en: 'x' },
        kind: 'single',
        prices: { window: 1_000 },
      },
      'PATCH /api/v1/ticket-types/:typeId': { name: { zh: 'y', en: 'y' } },
      'POST /api/v1/capacity/slots': {
        siteId: 'bravo',
        date: dateIn(30),
        slots: [{ start: '09:00', end: '10:00', cap: 50 }],
      },
      'PATCH /api/v1/capacity/slots/:slotId': { cap: 400 },
      'POST /api/v1/stock/issue': { cashierId: env.operators.cashier.id, range },
      'POST /api/v1/stock/return': { cashierId: env.operators.cashier.id, range },
      'POST /api/v1/stock/void': { reason: 'site', range: { ...range, fromSeq: 10, toSeq: 10 } },
      'POST /api/v1/stock/batches/import': { ticketTypeId: 302, codes: [generateBarcode()] },
      'POST /api/v1/stock/batches/generate': { ticketTypeId: 302, count: 5 },
      'POST /api/v1/sales': {
        siteId: 'bravo',
        windowId: 'WBRAVO',
        lines: [{ typeId: 302, quantity: 1, visitDate: dateIn(10) }],
        payments: [{ method: 'cash', amountFen: 10_000 }],
      },
      'POST /api/v1/refunds': { saleId: ids.saleId, ticketIds: [ids.ticketId] },
      'POST /api/v1/cards/:uid/replace': { newCardUid: '0C0D0E0F' },
      'POST /api/v1/card-returns': { cardUid: ids.uid, windowId: 'WBRAVO' },
      'PUT /api/v1/cards/deposits/:siteId': { depositFen: 2_000 },
      'POST /api/v1/refunds/quote': { saleId: ids.saleId, ticketIds: [ids.ticketId] },
      'POST /api/v1/supplements': {
        kind: 'fee',
        ticketId: ids.ticketId,
        windowId: 'WBRAVO',
        reason: 'other',
        amountFen: 100,
        payments: [{ method: 'cash', amountFen: 100 }],
      },
      'POST /api/v1/supplements/quote': {
        kind: 'fee',
        ticketId: ids.ticketId,
        windowId: 'WBRAVO',
        reason: 'other',
        amountFen: 100,
      },
      'POST /api/v1/commands': {
        action: { kind: 'sync' },
        target: { kind: 'gate', gateId: 'GBRAVO1' },
        ttlSec: 600,
      },
      'PUT /api/v1/occupancy/sites/:siteId/capacity': { capacity: 10 },
      'POST /api/v1/customers': { siteId: 'bravo', name: 'x', phone: '13800000009' },
      'PATCH /api/v1/customers/:customerId': { name: 'y' },
      'POST /api/v1/customers/:customerId/cards': { cardUid: 'C1C2C3C4' },
      'PUT /api/v1/points/rules/:siteId': {
        enabled: true,
        pointsPerYuan: 2,
        redeemPointsPerYuan: null,
        expiry: 'never',
      },
      'POST /api/v1/points/accounts/:customerId/adjustments': { points: 10, reason: 'site matrix' },
      'POST /api/v1/group-orders': {
        siteId: 'bravo',
        reference: 'site-new-order',
        visitDate: dateIn(10),
        lines: [{ typeId: 302, quantity: 2 }],
      },
      'PATCH /api/v1/group-orders/:orderId': { lines: [{ typeId: 302, quantity: 3 }] },
      'PUT /api/v1/group-orders/:orderId/visitors': { visitors: [] },
      'POST /api/v1/group-orders/:orderId/pick-up': {
        windowId: 'WBRAVO',
        issue: 'group',
        payments: [{ method: 'cash', amountFen: 20_000 }],
      },
      'POST /api/v1/shifts': { siteId: 'bravo', windowId: 'WBRAVO', floatFen: 0 },
      'POST /api/v1/shifts/:shiftId/drops': { amountFen: 100, reason: 'site matrix' },
      'POST /api/v1/shifts/:shiftId/payouts': { amountFen: 100, reason: 'site matrix' },
      'POST /api/v1/shifts/:shiftId/close': { countedCashFen: 1_000 },
      'POST /api/v1/shifts/:shiftId/handover': {
        countedCashFen: 1_000,
        toCashierId: env.operators.cashier.id,
      },
      'POST /api/v1/shifts/:shiftId/approve': { note: 'site matrix' },
      'POST /api/v1/shifts/:shiftId/adjustments': { method: 'cash', amountFen: 100, reason: 'site matrix' },
    };
    if (route.key in table) return table[route.key];
    return route.body ? sampleFromSchema(route.body, fixtures) : undefined;
  }

  /** The route's URL aimed at bravo; `filtered`: with every optional query filter that names bravo's data too. */
  function urlFor(route: RouteInfo, filtered: boolean): string {
    const path = route.url.replace(/:([A-Za-z0-9_]+)/g, (_, name: string) =>
      encodeURIComponent(String(fixtures[name] ?? 'unknown')),
    );
    if (!route.query) return path;
    const overrides: Record<string, Record<string, unknown>> = {
      'GET /api/v1/lookup': { code: String(ids.qr) },
      'GET /api/v1/sales/:saleId/escpos': { what: 'receipt' },
      // The gates' messages were logged today.
      'GET /api/v1/comm-log/summary': { from: dateIn(0), to: dateIn(0) },
      // bravo's takings and entries are today's; a summary by window names bravo's window.
      'GET /api/v1/reports/sales-history': { from: dateIn(-1), to: dateIn(1) },
      'GET /api/v1/reports/sales-summary': { from: dateIn(-1), to: dateIn(1), by: 'window' },
      'GET /api/v1/reports/comm-log/summary': { from: dateIn(0), to: dateIn(0) },
      'GET /api/v1/reports/analysis/compare': { from: dateIn(-1), to: dateIn(1) },
      'GET /api/v1/reports/analysis/type-mix': { from: dateIn(-1), to: dateIn(1) },
      'GET /api/v1/reports/analysis/heatmap': { from: dateIn(-1), to: dateIn(1) },
      'GET /api/v1/reports/analysis/compare/export': { from: dateIn(-1), to: dateIn(1), format: 'csv' },
      'GET /api/v1/reports/analysis/type-mix/export': { from: dateIn(-1), to: dateIn(1), format: 'csv' },
      'GET /api/v1/reports/analysis/heatmap/export': { from: dateIn(-1), to: dateIn(1), format: 'csv' },
      'GET /api/v1/reports/sales-history/export': { from: dateIn(-1), to: dateIn(1), format: 'csv' },
      'GET /api/v1/reports/sales-summary/export': {
        from: dateIn(-1),
        to: dateIn(1),
        by: 'window',
        format: 'csv',
      },
      'GET /api/v1/reports/comm-log/summary/export': { from: dateIn(0), to: dateIn(0), format: 'csv' },
    };
    const query: Record<string, unknown> = {
      ...(sampleFromSchema(route.query, fixtures) as Record<string, unknown>),
      ...overrides[route.key],
    };
    if (filtered)
      for (const name of Object.keys(route.query.properties ?? {}))
        if (name in fixtures && !(name in query) && !UNFILTERED.includes(name)) query[name] = fixtures[name];
    const text = Object.entries(query)
      .map(([k, v]) => `${k}=${encodeURIComponent(String(v))}`)
      .join('&');
    return text ? `${path}?${text}` : path;
  }

  let keySeq = 0;
  async function call(route: RouteInfo, url: string, authorization: string): Promise<Answer> {
    if (url.split('?')[0]!.endsWith('/stream')) return stream(url, authorization);
    const body = route.method === 'GET' || route.method === 'DELETE' ? undefined : bodyFor(route);
    const headers: Record<string, string> = { authorization };
    if (route.headers?.properties?.['idempotency-key']) headers['idempotency-key'] = `site-${++keySeq}`;
    const response = await env.app.inject({
      method: route.method as 'POST',
      url,
      headers,
      ...(body !== undefined && { payload: body as object }),
    });
    const code = response.statusCode >= 400 ? response.json().error?.code : undefined;
    return { status: response.statusCode, code, text: response.body };
  }

  /** A server-sent events stream: its snapshot is the answer. */
  async function stream(url: string, authorization: string): Promise<Answer> {
    const client = openEventStream({ port, path: url, headers: { authorization } });
    try {
      const headers = await client.headers;
      const status = headers['content-type']?.includes('text/event-stream') ? 200 : 400;
      await Promise.race([client.snapshot, client.ended, new Promise((r) => setTimeout(r, STREAM_MS))]).catch(
        () => {},
      );
      return { status, code: undefined, text: JSON.stringify(client.events) };
    } finally {
      client.close();
    }
  }

  function leaked(answer: Answer, url: string): string[] {
    if (answer.status >= 300) return [];
    const asked = decodeURIComponent(url);
    return markers.filter((m) => answer.text.includes(m) && !asked.includes(m));
  }

  const unproven: string[] = [];

  async function check(route: RouteInfo): Promise<string[]> {
    const problems: string[] = [];
    const label = route.key;
    const [unlimited, limitedOne] = authorizationsFor(route);
    if (route.allSites) {
      const answer = await call(route, urlFor(route, true), limitedOne);
      if (answer.status !== 403 || answer.code !== 'SITE_FORBIDDEN')
        problems.push(`${label} → ${answer.status} ${answer.code ?? ''}, expected 403 SITE_FORBIDDEN`);
    } else if (route.method === 'GET') {
      for (const filtered of route.pathParams.length ? [true] : [false, true]) {
        const url = urlFor(route, filtered);
        const admin = await call(route, url, unlimited);
        // What the administrator's read wrote (a print's audit entry, a gate config made on first read) is not
        // the limited operator's doing.
        const afterAdmin = await counter.read();
        const answer = await call(route, url, limitedOne);
        const written = counter.diff(afterAdmin, await counter.read());
        if (Object.keys(written).length) problems.push(`${label} ${url} wrote ${JSON.stringify(written)}`);
        const sawBravo = admin.status < 300 && markers.some((m) => admin.text.includes(m));
        if (!sawBravo && !(route.pathParams.length && admin.status < 300) && !UNPROVEN.includes(label))
          unproven.push(`${label} ${url} → admin ${admin.status}`);
        if (route.pathParams.length && admin.status < 300 && answer.status !== 404)
          problems.push(`${label} ${url} → ${answer.status} ${answer.code ?? ''}, expected 404`);
        if (answer.status >= 500) problems.push(`${label} ${url} → ${answer.status}`);
        if (answer.status === 403 && answer.code !== 'SITE_FORBIDDEN')
          problems.push(`${label} ${url} → 403 ${answer.code}`);
        const leaks = leaked(answer, url);
        if (leaks.length) problems.push(`${label} ${url} → ${answer.status} naming ${leaks.join(', ')}`);
      }
    } else {
      const before = await counter.read();
      const answer = await call(route, urlFor(route, true), limitedOne);
      const written = counter.diff(before, await counter.read());
      if (Object.keys(written).length) problems.push(`${label} wrote ${JSON.stringify(written)}`);
      const refused =
        answer.status === 404 ||
        (answer.status === 403 && answer.code === 'SITE_FORBIDDEN') ||
        answer.code === MISSING_ANSWERS[label];
      if (!refused)
        problems.push(
          `${label} → ${answer.status} ${answer.code ?? ''} ${answer.text.slice(0, 200)}, expected 404 or 403 SITE_FORBIDDEN`,
        );
    }
    return problems;
  }

  /** Who reads everything and who is limited to alpha: operators, or on the partners' routes channel keys. */
  function authorizationsFor(route: RouteInfo): [string, string] {
    if (route.access === 'channel') return [bothSitesKey, alphaKey];
    return [env.as('admin').authorization, limited];
  }

  it('routes over what all sites share are exactly those of the permissions the console hides from a limited operator', () => {
    // The console's auth/access.ts keeps the same list (it cannot import the cloud's code).
    const shared = new Set([
      'operators.read',
      'operators.manage',
      'audit.read',
      'keys.manage',
      'system.manage',
      'channel.manage',
      // Agencies are venue-wide (no site of their own).
      'agencies.read',
      'agencies.manage',
      'agencies.adjust',
      // The holiday calendar is shared: read by any site's reports, changed only by whoever reaches every site.
      'holidays.manage',
    ]);
    const mismatched = declaredRoutes(env.app)
      .filter((r) => r.method !== 'HEAD' && shared.has(r.access) !== r.allSites)
      .map((r) => `${r.method} ${r.url} (${r.access}, allSites: ${r.allSites})`);
    // Creating a site is the one route over all sites behind a permission a limited operator keeps for its own site.
    expect(mismatched).toEqual(['POST /api/v1/sites (venues.manage, allSites: true)']);
  });

  it('the limited operator sees its own site', async () => {
    const sites = await env.app.inject({
      method: 'GET',
      url: '/api/v1/sites',
      headers: { authorization: limited },
    });
    expect(sites.json().sites.map((s: { id: string }) => s.id)).toEqual(['alpha']);
    const types = await env.app.inject({
      method: 'GET',
      url: '/api/v1/ticket-types/301',
      headers: { authorization: limited },
    });
    expect(types.statusCode).toBe(200);
  });

  it('the services filter themselves: called directly with the alpha scope, nothing of bravo comes back', async () => {
    const { services } = await createContainer({
      config: env.config,
      database: env.test.database,
      logger: silentLogger,
    });
    const alpha = siteScopeOf(['alpha']);
    const notFound = { code: 'NOT_FOUND' };
    const named = (value: unknown) => markers.filter((m) => JSON.stringify(value).includes(m));
    expect((await services.venues.listSites(undefined, alpha)).items.map((site) => site.id)).toEqual([
      'alpha',
    ]);
    await expect(services.venues.getSite('bravo', undefined, alpha)).rejects.toMatchObject(notFound);
    await expect(services.venues.getGate('bravo', 'GBRAVO1', undefined, alpha)).rejects.toMatchObject(
      notFound,
    );
    expect(named(await services.ticketTypes.list({}, alpha))).toEqual([]);
    await expect(services.ticketTypes.get(302, undefined, alpha)).rejects.toMatchObject(notFound);
    expect(named(await services.sales.list({ limit: 100 }, alpha))).toEqual([]);
    await expect(services.sales.get(String(ids.saleId), alpha)).rejects.toMatchObject(notFound);
    expect(named(await services.refunds.list({ limit: 100 }, alpha))).toEqual([]);
    await expect(services.refunds.get(String(ids.refundId), alpha)).rejects.toMatchObject(notFound);
    expect(named(await services.supplements.list({ limit: 100 }, alpha))).toEqual([]);
    await expect(services.supplements.get(String(ids.supplementId), alpha)).rejects.toMatchObject(notFound);
    const supervisor = { id: 'nobody', username: 'nobody', supervisor: true };
    expect(named(await services.shifts.list({ limit: 200, offset: 0 }, supervisor, alpha))).toEqual([]);
    await expect(services.shifts.report(String(ids.shiftId), supervisor, alpha)).rejects.toMatchObject(
      notFound,
    );
    await expect(services.settlements.dayReport('bravo', dateIn(0), alpha)).rejects.toMatchObject(notFound);
    await expect(services.settlements.monthReport('bravo', String(ids.month), alpha)).rejects.toMatchObject(
      notFound,
    );
    const alphaOrders = { context: { actor: null, ip: null, sites: alpha }, agencyId: null, manages: true };
    expect(named(await services.groupOrders.list({ limit: 100, offset: 0 }, alphaOrders))).toEqual([]);
    await expect(services.groupOrders.get(String(ids.orderId), alphaOrders)).rejects.toMatchObject(notFound);
    await expect(services.tickets.get(Number(ids.ticketId), undefined, alpha)).rejects.toMatchObject(
      notFound,
    );
    expect(named(await services.stock.listBatches({}, alpha))).toEqual([]);
    await expect(services.stock.getBatch(Number(ids.batchId), alpha)).rejects.toMatchObject(notFound);
    await expect(services.capacity.getSlot(String(ids.slotId), alpha)).rejects.toMatchObject(notFound);
    expect(named(await services.passageRecords.list({ limit: 100 }, alpha))).toEqual([]);
    expect(named(await services.gateStatus.stored(alpha))).toEqual([]);
    expect(named(await services.commands.list({}, { limit: 100, offset: 0 }, alpha))).toEqual([]);
    await expect(services.commands.get(String(ids.commandId), alpha)).rejects.toMatchObject(notFound);
    expect(named(await services.commLog.list({}, { limit: 100, offset: 0 }, alpha))).toEqual([]);
    expect(named(await services.occupancy.alerts({ limit: 100 }, alpha))).toEqual([]);
    expect(named(await services.occupancy.current(undefined, alpha))).toEqual([]);
    expect(named(await services.liveStatus.figures(undefined, alpha))).toEqual([]);
    await expect(services.liveStatus.figures('bravo', alpha)).rejects.toMatchObject(notFound);
    expect(named(await services.customers.search({ limit: 100, offset: 0 }, alpha))).toEqual([]);
    await expect(services.customers.get(String(ids.customerId), alpha)).rejects.toMatchObject(notFound);
    await expect(
      services.points.account(String(ids.customerId), { limit: 10, offset: 0 }, alpha),
    ).rejects.toMatchObject(notFound);
    await expect(services.points.rules('bravo', alpha)).rejects.toMatchObject(notFound);
    const today = dateIn(0);
    expect(named(await services.reports.history({ from: today, to: today }, { limit: 100 }, alpha))).toEqual(
      [],
    );
    expect(named(await services.reports.summary({ from: today, to: today, by: 'window' }, alpha))).toEqual(
      [],
    );
    expect(
      named(
        await services.reports.typeMix(
          { from: today, to: today, measure: 'tickets', compare: 'yoy', basis: 'same_date' },
          alpha,
        ),
      ),
    ).toEqual([]);
    expect(named(await services.reports.summary({ from: today, to: today, by: 'window' }))).not.toEqual([]);
    // The same calls without a scope (the system's own work) still see bravo.
    expect(named(await services.sales.list({ limit: 100 }))).not.toEqual([]);
  });

  const MODULES = [
    'agencies',
    'audit',
    'capacity',
    'card-returns',
    'cards',
    'channel',
    'channel-keys',
    'comm-log',
    'commands',
    'customers',
    'gate-access',
    'gate-config',
    'gate-status',
    'group-orders',
    'holidays',
    'live-status',
    'lookup',
    'occupancy',
    'operators',
    'passages',
    'points',
    'printing',
    'refunds',
    'reports',
    'sales',
    'settlements',
    'shifts',
    'signing-keys',
    'stock',
    'supplements',
    'ticket-types',
    'tickets',
    'venues',
    'webhooks',
    'whitelist',
  ];

  it('every route belongs to a module of the matrix', () => {
    expect([...new Set(routes.map((r) => r.module))].sort()).toEqual([...MODULES].sort());
  });

  it.each(MODULES)(
    '%s: a site-alpha operator neither sees nor changes site bravo',
    async (module) => {
      const problems: string[] = [];
      // Reads first, while bravo's data is all there; then the changes.
      const mine = routes
        .filter((r) => r.module === module)
        .sort((a, b) => Number(a.method !== 'GET') - Number(b.method !== 'GET'));
      for (const route of mine) problems.push(...(await check(route)));
      expect(problems).toEqual([]);
    },
    60_000,
  );

  it('proves its inputs: the unlimited administrator sees bravo on nearly every read', () => {
    expect(unproven, unproven.join('\n')).toEqual([]);
  });
});
