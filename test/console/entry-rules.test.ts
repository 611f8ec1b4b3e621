/**
 * The entry rules in the console, in Chromium against a real cloud: the administrator creates a "30 days from the
 * first entry, any 3 days" type in the ticket-type editor, which checks the visit days as they are typed and says
 * the rules in plain words; the till sells one; a gate reports its holder walking in over MQTT; 票效查询 shows the
 * ticket activated, with the window that produced and one visit day used of three, the holder inside. Both
 * languages, with screenshots for a person to look at.
 */
import { randomUUID } from 'node:crypto';
import { encodeMessage, gateTopic } from '@scenic/protocol';
import mqtt, { type MqttClient } from 'mqtt';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ADMIN,
  apiAs,
  type ConsoleCloud,
  createOperator,
  haveChromium,
  launchBrowser,
  named,
  openPage,
  screenshot,
  settledScreenshot,
  signIn,
  startConsoleCloud,
} from './harness.js';

const CASHIER = { username: 'till_zhao', password: 'till-zhao-pass-1' } as const;
const WAIT = { timeout: 15_000 } as const;
const TYPE_ID = 11;
/** Today in the park's zone (Asia/Shanghai). */
const TODAY = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date());

let cloud: ConsoleCloud;
let browser: Browser;
let admin: Awaited<ReturnType<typeof apiAs>>;
let gate: MqttClient | undefined;

async function session(language: 'zh-CN' | 'en', name: string, body: (page: Page) => Promise<void>) {
  const page = await openPage(browser, cloud.url, language);
  try {
    await body(page);
  } catch (error) {
    await screenshot(page, `failed-${name}`).catch(() => undefined);
    throw error;
  } finally {
    await page.context().close();
  }
}

/** The error Ant Design shows under the field labelled `label`. */
function fieldError(page: Page, label: string) {
  return page
    .locator('.ant-form-item')
    .filter({ has: page.getByLabel(label, { exact: true }) })
    .locator('.ant-form-item-explain-error');
}

/** A gate of the park on the cloud's broker with its own credentials, as the gate agent connects. */
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

describe.skipIf(!haveChromium)('entry rules in the editor and the lookup', () => {
  beforeAll(async () => {
    cloud = await startConsoleCloud();
    browser = await launchBrowser();
    admin = await apiAs(cloud.url, ADMIN.username, ADMIN.password);
    await admin.post('/sites', { id: 'park', name: { zh: '湖光公园', en: 'Lakeside Park' } });
    await admin.post('/sites/park/zones', { id: 'main', name: { zh: '主园区', en: 'Main' } });
    await admin.post('/sites/park/gates', {
      id: 'E1',
      zoneId: 'main',
      direction: 'both',
      kind: 'tripod',
      name: { zh: '东门一号闸', en: 'East gate 1' },
    });
    await admin.post('/sites/park/windows', { id: 'W01', name: { zh: '一号窗口', en: 'Window 1' } });
    await createOperator(cloud.url, { ...CASHIER, displayName: '赵售票', roles: ['cashier'] });
  }, 90_000);

  afterAll(async () => {
    gate?.end(true);
    await browser?.close();
    await cloud?.stop();
  });

  it('creates a first-use, any-3-days type with its preview, sells and admits one, and looks it up', async () => {
    await session('zh-CN', 'entry-editor', async (page) => {
      await signIn(page, ADMIN.username, ADMIN.password, '/ticket-types');
      await page.getByRole('button', { name: '新建票种' }).click();
      const editor = page.getByTestId('ticket-type-editor');
      await editor.getByLabel('票种编号').fill(String(TYPE_ID));
      await editor.getByLabel('票种代码').fill('FIRST3');
      await editor.getByLabel('类别', { exact: true }).click();
      await page
        .locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-item-option')
        .filter({ hasText: '期票（按天）' })
        .click();
      await editor.getByLabel('中文名称').fill('三日游');
      await editor.getByLabel('英文名称').fill('Any 3 days');
      await editor.getByLabel('售票窗口').fill('200');
      // A period pass counts 30 days from its first entry by default; the preview says so as it changes.
      const preview = page.getByTestId('rules-preview-text');
      await expect.poll(() => preview.textContent(), WAIT).toBe('首次入园后 30 天内有效，每天不限次数');
      // More visit days than the 30-day validity holds: refused as typed, as the API would.
      await editor.getByLabel('可游玩天数（任选 N 天）').fill('40');
      await expect
        .poll(() => fieldError(page, '可游玩天数（任选 N 天）').textContent(), WAIT)
        .toContain('不能多于有效期的天数（30 天）');
      await editor.getByLabel('可游玩天数（任选 N 天）').fill('3');
      await expect.poll(() => fieldError(page, '可游玩天数（任选 N 天）').count(), WAIT).toBe(0);
      await expect
        .poll(() => preview.textContent(), WAIT)
        .toBe('首次入园后 30 天内有效，任选 3 天，每天不限次数');
      expect(await page.getByTestId('rules-preview-other').textContent()).toContain(
        'Valid for 30 days from first entry, any 3 days, unlimited entries per day',
      );
      // Same-day re-entry is for single tickets: the switch is off for a pass.
      expect(await editor.getByLabel('当日可再入园').isDisabled()).toBe(true);
      await editor.getByText('入园规则', { exact: true }).scrollIntoViewIfNeeded();
      await settledScreenshot(page, 'entry-rules-editor.zh-CN');
      await page.getByTestId('editor-save').click();
      await expect.poll(() => page.getByTestId(`version-of-${TYPE_ID}`).textContent(), WAIT).toBe('v1');
    });
    expect(await admin.get(`/ticket-types/${TYPE_ID}`)).toMatchObject({
      kind: 'period_pass',
      validity: { from: 'first_use', length: { unit: 'day', count: 30 } },
      rules: { visitDays: 3, entriesPerDay: null },
    });

    // The till sells one; the gate lets its holder in.
    const till = await apiAs(cloud.url, CASHIER.username, CASHIER.password);
    const sale = await till.post<{ tickets: { ticketId: number; qrText: string }[] }>(
      '/sales',
      {
        siteId: 'park',
        windowId: 'W01',
        lines: [{ typeId: TYPE_ID, quantity: 1, visitDate: TODAY }],
        payments: [{ method: 'cash', amountFen: 20_000 }],
      },
      { 'idempotency-key': 'entry-rules-sale-1' },
    );
    const ticket = sale.tickets[0]!;
    gate = await connectGate('E1');
    const enteredAt = Date.now() - 60_000;
    await gate.publishAsync(
      gateTopic('park', 'E1', 'event/passage'),
      encodeMessage(
        {
          type: 'passage',
          v: 1,
          eventId: randomUUID(),
          gateId: 'E1',
          at: enteredAt,
          ticketId: ticket.ticketId,
          credentialKind: 'qr',
          direction: 'in',
          persons: 1,
          entriesLeft: null,
          decidedOffline: true,
          correlationId: null,
        },
        'event/passage',
      ),
      { qos: 1 },
    );
    await expect
      .poll(
        async () =>
          (
            await till.get<{ tickets: { activation: { firstEntryAt: number | null } }[] }>(
              `/lookup?code=${encodeURIComponent(ticket.qrText)}`,
            )
          ).tickets[0]?.activation.firstEntryAt,
        WAIT,
      )
      .toBe(enteredAt);

    const lookupAt = `/lookup?code=${encodeURIComponent(ticket.qrText)}`;
    await session('zh-CN', 'entry-lookup', async (page) => {
      await signIn(page, CASHIER.username, CASHIER.password, lookupAt);
      const state = page.getByTestId('lookup-entry-state');
      await expect.poll(() => page.getByTestId('lookup-activation').textContent(), WAIT).toContain('已激活');
      expect(await page.getByTestId('lookup-activation').textContent()).toContain(TODAY);
      expect(await page.getByTestId('lookup-activation-window').textContent()).toMatch(
        new RegExp(`^${TODAY} \\d\\d:\\d\\d:\\d\\d 至 \\d{4}-\\d\\d-\\d\\d 00:00:00$`),
      );
      // The ticket's validity ends where the activation's window does, not at the latest it could have.
      const windowEnd = (await page.getByTestId('lookup-activation-window').textContent())!.split(' 至 ')[1]!;
      expect(await page.getByTestId('lookup-validity').textContent()).toMatch(new RegExp(`– ${windowEnd}$`));
      expect(await page.getByTestId('lookup-visit-days').textContent()).toBe(`已用 1 / 3 天${TODAY}`);
      expect(await page.getByTestId('lookup-presence').textContent()).toBe('园内');
      expect(await state.textContent()).toContain('最晚激活');
      expect(await page.getByTestId('lookup-verdict').textContent()).toContain('现在可以通行');
      await settledScreenshot(page, 'entry-rules-lookup.zh-CN');
    });

    await session('en', 'entry-lookup-en', async (page) => {
      await signIn(page, CASHIER.username, CASHIER.password, lookupAt);
      await expect
        .poll(() => page.getByTestId('lookup-activation').textContent(), WAIT)
        .toContain('Activated');
      expect(await page.getByTestId('lookup-visit-days').textContent()).toBe(`1 of 3 days used${TODAY}`);
      expect(await page.getByTestId('lookup-presence').textContent()).toBe('Inside');
      await settledScreenshot(page, 'entry-rules-lookup.en');
    });

    await session('en', 'entry-editor-en', async (page) => {
      await signIn(page, ADMIN.username, ADMIN.password, '/ticket-types');
      await page
        .getByTestId('ticket-types')
        .locator('tr', { hasText: 'FIRST3' })
        .getByRole('button', { name: named('Edit') })
        .click();
      await expect
        .poll(() => page.getByTestId('rules-preview-text').textContent(), WAIT)
        .toBe('Valid for 30 days from first entry, any 3 days, unlimited entries per day');
      expect(await page.getByTestId('rules-preview-other').textContent()).toContain(
        '首次入园后 30 天内有效，任选 3 天，每天不限次数',
      );
      // The latest activation is offered for a validity from the first entry, and checked as typed.
      await page.getByLabel('Latest activation date').fill('2027-06-30');
      await expect
        .poll(() => page.getByTestId('rules-preview-text').textContent(), WAIT)
        .toBe(
          'Valid for 30 days from first entry, first entry by 2027-06-30, any 3 days, unlimited entries per day',
        );
      await page.getByText('Entry rules', { exact: true }).scrollIntoViewIfNeeded();
      await settledScreenshot(page, 'entry-rules-editor.en');
      // Each version reads its rules back in the same words.
      await page.getByRole('button', { name: 'Cancel' }).click();
      await expect.poll(() => page.locator('.ant-drawer-open').count(), WAIT).toBe(0);
      await page
        .getByTestId('ticket-types')
        .locator('tr', { hasText: 'FIRST3' })
        .getByRole('button', { name: /Versions/ })
        .click();
      await page.getByRole('button', { name: 'View v1' }).click();
      await expect
        .poll(() => page.getByTestId('version-view').textContent(), WAIT)
        .toContain('Valid for 30 days from first entry, any 3 days, unlimited entries per day');
      expect(await page.getByTestId('version-view').textContent()).toContain('Visit days3');
      await settledScreenshot(page, 'entry-rules-version.en');
    });
  }, 180_000);
});
