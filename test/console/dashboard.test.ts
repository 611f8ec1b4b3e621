/**
 * The dashboard's live figures (实时状态) in Chromium against a real cloud: a manager (finance) keeps the dashboard
 * open while the till sells over HTTP — cash with change, a group ticket by WeChat, a refund — a travel agency's
 * prepaid order is confirmed and picked up, and a gate comes online over MQTT and lets three people in. Each change
 * reaches the open page through the push stream, without a reload. Screenshots in both languages.
 */
import { randomUUID } from 'node:crypto';
import { encodeMessage, gateTopic } from '@scenic/protocol';
import mqtt, { type MqttClient } from 'mqtt';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ADMIN,
  accessibilityViolations,
  apiAs,
  type ConsoleCloud,
  createOperator,
  haveChromium,
  launchBrowser,
  openPage,
  settledScreenshot,
  signIn,
  startConsoleCloud,
  textOf,
} from './harness.js';

const MANAGER = { username: 'zhou_mgr', password: 'manager-zhou-1' } as const;
const CASHIER = { username: 'till_wu', password: 'till-wu-pass-1' } as const;
const WAIT = { timeout: 15_000 } as const;
/** Today in the park's zone (Asia/Shanghai). */
const TODAY = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);

let cloud: ConsoleCloud;
let browser: Browser;
let admin: Awaited<ReturnType<typeof apiAs>>;
let till: Awaited<ReturnType<typeof apiAs>>;
let gate: MqttClient | undefined;
let sale = 0;

function sell(lines: object[], payments: object[]) {
  return till.post<{ id: string; tickets: { ticketId: number; typeId: number }[] }>(
    '/sales',
    { siteId: 'park', windowId: 'W01', lines, payments },
    { 'idempotency-key': `dashboard-sale-${++sale}` },
  );
}

/** A gate of the park connected to the cloud's broker with its own credentials, as the gate agent would. */
async function connectGate(gateId: string): Promise<MqttClient> {
  const login = await admin.post<{ username: string; password: string }>(`/gates/${gateId}/credentials`);
  const client = mqtt.connect(cloud.brokerUrl, {
    clientId: `sg-park-${gateId}`,
    username: login.username,
    password: login.password,
    reconnectPeriod: 0,
  });
  await new Promise<void>((resolve, reject) => {
    client.once('connect', () => resolve());
    client.once('error', reject);
  });
  return client;
}

const figure = (page: Page, testId: string) => textOf(page, testId);

describe.skipIf(!haveChromium)('the dashboard’s live figures', () => {
  beforeAll(async () => {
    cloud = await startConsoleCloud();
    browser = await launchBrowser();
    admin = await apiAs(cloud.url, ADMIN.username, ADMIN.password);
    await admin.post('/sites', { id: 'park', name: { zh: '湖光公园', en: 'Lakeside Park' } });
    await admin.post('/sites/park/zones', { id: 'north', name: { zh: '北区', en: 'North' } });
    for (const id of ['N1', 'N2'])
      await admin.post('/sites/park/gates', {
        id,
        zoneId: 'north',
        direction: 'in',
        kind: 'tripod',
        name: { zh: `北门${id}`, en: `North ${id}` },
      });
    await admin.post('/sites/park/windows', { id: 'W01', name: { zh: '一号窗口', en: 'Window 1' } });
    for (const [typeId, code, zh, en, kind, fen] of [
      [1, 'ADULT', '成人票', 'Adult', 'single', 8_000],
      [2, 'CHILD', '儿童票', 'Child', 'single', 4_000],
      [3, 'GROUP', '团体票', 'Group', 'group', 5_000],
    ] as const)
      await admin.post('/ticket-types', {
        typeId,
        siteId: 'park',
        code,
        name: { zh, en },
        kind,
        prices: { window: fen, agency: fen },
      });
    const agency = await admin.post<{ id: string }>('/agencies', {
      name: '春秋国际旅行社',
      licenceNo: 'L-SH-20261',
      paymentMode: 'prepaid',
    });
    await admin.put(`/agencies/${agency.id}/types/1`, { priceFen: 6_500 });
    await admin.post(`/agencies/${agency.id}/top-ups`, { amountFen: 1_000_000 });
    const order = await admin.post<{ id: string }>('/group-orders', {
      siteId: 'park',
      agencyId: agency.id,
      reference: 'CQ-1212',
      visitDate: TODAY,
      lines: [{ typeId: 1, quantity: 20 }],
    });
    orderId = order.id;
    await createOperator(cloud.url, { ...MANAGER, displayName: '周经理', roles: ['finance'] });
    await createOperator(cloud.url, { ...CASHIER, displayName: '吴收银', roles: ['cashier'] });
    till = await apiAs(cloud.url, CASHIER.username, CASHIER.password);
  });
  let orderId = '';

  afterAll(async () => {
    gate?.end(true);
    await browser?.close();
    await cloud?.stop();
  });

  it('follows the till, the group desk and the gates on the open page, in both languages', async () => {
    const page = await openPage(browser, cloud.url);
    await signIn(page, MANAGER.username, MANAGER.password, '/dashboard');
    await expect.poll(() => figure(page, 'live-sales-total'), WAIT).toContain('¥0.00');
    expect(await figure(page, 'live-gates')).toContain('0 / 2');
    await page.getByTestId('live-stream-park').and(page.locator('[data-state="open"]')).waitFor(WAIT);
    // The page is never reloaded: a marker set now must still be there at the end.
    await page.evaluate('window.__stayed = true');

    // Two adults and a child, paid ¥300 in cash (¥100 change).
    const first = await sell(
      [
        { typeId: 1, quantity: 2, visitDate: TODAY },
        { typeId: 2, quantity: 1, visitDate: TODAY },
      ],
      [{ method: 'cash', amountFen: 30_000 }],
    );
    await expect.poll(() => figure(page, 'live-sales-total'), WAIT).toContain('¥200.00');
    expect(await figure(page, 'live-tickets')).toContain('3');
    expect(await figure(page, 'live-method-cash')).toContain('¥200.00');

    // A school group of 15 on one group ticket, by WeChat; then the child's ticket is refunded.
    await sell(
      [{ typeId: 3, quantity: 1, persons: 15, visitDate: TODAY }],
      [{ method: 'wechat', amountFen: 75_000 }],
    );
    const child = first.tickets.find((t) => t.typeId === 2)!;
    await till.post(
      '/refunds',
      { saleId: first.id, ticketIds: [child.ticketId], reason: '孩子发烧' },
      { 'idempotency-key': 'dashboard-refund-1' },
    );
    await expect.poll(() => figure(page, 'live-refunds'), WAIT).toContain('¥40.00');
    expect(await figure(page, 'live-refunds')).toContain('1 笔 · 1 张');
    expect(await figure(page, 'live-sales-total')).toContain('¥950.00');
    expect(await figure(page, 'live-net')).toContain('¥910.00');
    expect(await figure(page, 'live-group')).toContain('15');

    // The agency's prepaid order of 20: its account is debited at confirmation, its code issued at the window.
    await admin.post(`/group-orders/${orderId}/confirm`);
    await till.post(`/group-orders/${orderId}/pick-up`, { windowId: 'W01', issue: 'group' });
    await expect.poll(() => figure(page, 'live-group'), WAIT).toContain('35');
    expect(await figure(page, 'live-sales-total')).toContain('¥2,250.00');
    expect(await figure(page, 'live-channel-agency')).toContain('¥1,300.00');
    expect(await figure(page, 'live-method-agency_account')).toContain('¥1,300.00');

    // Gate N1 comes online and lets three people in.
    gate = await connectGate('N1');
    await gate.publishAsync(
      gateTopic('park', 'N1', 'state'),
      encodeMessage(
        {
          type: 'gate_state',
          v: 1,
          gateId: 'N1',
          online: true,
          mode: 'normal',
          denyUnauthorized: true,
          firmware: '1.0.0',
          whitelistVersion: 0,
          configVersion: null,
          since: Date.now(),
        },
        'state',
      ),
      { qos: 1, retain: true },
    );
    await expect.poll(() => figure(page, 'live-gates'), WAIT).toContain('1 / 2');
    await gate.publishAsync(
      gateTopic('park', 'N1', 'event/passage'),
      encodeMessage(
        {
          type: 'passage',
          v: 1,
          eventId: randomUUID(),
          gateId: 'N1',
          at: Date.now(),
          ticketId: 4242,
          credentialKind: 'qr',
          direction: 'in',
          persons: 3,
          entriesLeft: null,
          decidedOffline: false,
          correlationId: null,
        },
        'event/passage',
      ),
      { qos: 1 },
    );
    await expect.poll(() => figure(page, 'live-entries'), WAIT).toContain('3');
    await expect.poll(() => figure(page, 'live-in-park'), WAIT).toContain('3');
    expect(await page.evaluate('window.__stayed')).toBe(true);
    expect(await accessibilityViolations(page, ['critical', 'serious'])).toEqual([]);
    await settledScreenshot(page, 'dashboard-live.zh-CN');
    await page.context().close();

    const english = await openPage(browser, cloud.url, 'en');
    await signIn(english, MANAGER.username, MANAGER.password, '/dashboard');
    await expect.poll(() => figure(english, 'live-sales-total'), WAIT).toContain('¥2,250.00');
    expect(await english.getByText('Sales total').count()).toBeGreaterThan(0);
    // Each count with its own plural: "1 refund · 1 ticket", not "Made: 1 · tickets: 1".
    expect(await figure(english, 'live-refunds')).toContain('1 refund · 1 ticket');
    await settledScreenshot(english, 'dashboard-live.en');
    await english.context().close();

    // The administrator's dashboard: the live figures above the gates, occupancy and passages.
    const full = await openPage(browser, cloud.url);
    await signIn(full, ADMIN.username, ADMIN.password, '/dashboard');
    await expect.poll(() => figure(full, 'live-entries'), WAIT).toContain('3');
    await settledScreenshot(full, 'dashboard-admin.zh-CN');
    await full.context().close();
  });
});
