/**
 * Offline conflicts in the console, in Chromium against a real cloud: two gates report, as gates drain their outbox
 * after an outage, that each admitted the same single ticket offline. The control room's passages history with
 * "offline conflicts only" lists the second one with its reason (already used), and the ticket's lookup (票效查询)
 * shows the conflict and its overdraft. Screenshots in zh-CN and en.
 */
import { randomUUID } from 'node:crypto';
import { encodeMessage, gateTopic } from '@scenic/protocol';
import { eventually } from '@scenic/testkit/eventually';
import mqtt from 'mqtt';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ADMIN,
  apiAs,
  type ConsoleCloud,
  haveChromium,
  launchBrowser,
  openPage,
  screenshot,
  signIn,
  startConsoleCloud,
} from './harness.js';

const WAIT = { timeout: 15_000 } as const;

let cloud: ConsoleCloud;
let browser: Browser;
let ticketId: number;
let qrText: string;

describe.skipIf(!haveChromium)('offline conflicts in the console', () => {
  beforeAll(async () => {
    cloud = await startConsoleCloud();
    browser = await launchBrowser();
    const admin = await apiAs(cloud.url, ADMIN.username, ADMIN.password);
    await admin.post('/sites', { id: 'park', name: { zh: '翠湖公园', en: 'Jade Lake Park' } });
    await admin.post('/sites/park/zones', { id: 'north', name: { zh: '北区', en: 'North' } });
    for (const [id, zh, en] of [
      ['N1', '北门一号闸', 'North gate 1'],
      ['N2', '北门二号闸', 'North gate 2'],
    ] as const)
      await admin.post('/sites/park/gates', {
        id,
        zoneId: 'north',
        direction: 'in',
        kind: 'tripod',
        name: { zh, en },
      });
    await admin.post('/sites/park/windows', { id: 'W01', name: { zh: '一号窗口', en: 'Window 1' } });
    await admin.post('/ticket-types', {
      typeId: 1,
      siteId: 'park',
      code: 'ADULT',
      name: { zh: '成人票', en: 'Adult' },
      kind: 'single',
      prices: { window: 6_000 },
    });
    const visitDate = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date());
    const sale = await admin.post<{ tickets: { ticketId: number; qrText: string }[] }>(
      '/sales',
      {
        siteId: 'park',
        windowId: 'W01',
        lines: [{ typeId: 1, quantity: 1, visitDate }],
        payments: [{ method: 'cash', amountFen: 6_000 }],
      },
      { 'idempotency-key': 'offline-conflicts-sale' },
    );
    ticketId = sale.tickets[0]!.ticketId;
    qrText = sale.tickets[0]!.qrText;
    // Each gate reports, as its outbox drains after an outage, the admit it decided offline.
    const now = Date.now();
    for (const [gateId, at] of [
      ['N1', now - 120_000],
      ['N2', now - 60_000],
    ] as const) {
      const login = await admin.post<{ username: string; password: string; clientId: string }>(
        `/gates/${gateId}/credentials`,
      );
      const client = await mqtt.connectAsync(cloud.brokerUrl, {
        username: login.username,
        password: login.password,
        clientId: login.clientId,
        reconnectPeriod: 0,
      });
      await client.publishAsync(
        gateTopic('park', gateId, 'event/passage'),
        encodeMessage({
          type: 'passage',
          v: 1,
          eventId: randomUUID(),
          gateId,
          at,
          ticketId,
          credentialKind: 'qr',
          direction: 'in',
          persons: 1,
          entriesLeft: 0,
          decidedOffline: true,
          correlationId: null,
        }),
        { qos: 1 },
      );
      await client.endAsync();
    }
    await eventually(async () => {
      const page = await admin.get<{ items: unknown[] }>(`/passages?ticketId=${ticketId}&conflict=true`);
      return page.items.length === 1 ? true : undefined;
    }, 15_000);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await cloud?.stop();
  }, 60_000);

  for (const [language, conflictText, lookupText] of [
    ['zh-CN', '离线冲突：票已使用', '1 次，超用 1 次'],
    ['en', 'Offline conflict: Already used', '1, 1 over the count'],
  ] as const)
    it(`lists the conflict in the control room and the lookup, in ${language}`, async () => {
      const page = await openPage(browser, cloud.url, language);
      await signIn(page, ADMIN.username, ADMIN.password, '/passages?tab=history&conflict=true');
      await expect
        .poll(() => page.getByTestId('history').locator('tbody tr.ant-table-row').count(), WAIT)
        .toBe(1);
      expect(await page.getByTestId('conflict-tag').textContent()).toContain(conflictText);
      expect(await page.getByTestId('conflicts-only').isChecked()).toBe(true);
      await expect.poll(() => page.getByTestId('summary-conflicts').textContent(), WAIT).toContain('1');
      await screenshot(page, `passages-conflicts.${language}`);

      await page.goto(`/lookup?code=${encodeURIComponent(qrText)}`);
      await expect.poll(() => page.getByTestId('lookup-conflicts').count(), WAIT).toBe(1);
      expect(await page.getByTestId('lookup-conflicts').textContent()).toContain(lookupText);
      await screenshot(page, `lookup-conflicts.${language}`);
      await page.context().close();
    }, 60_000);
});
