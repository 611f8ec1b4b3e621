/**
 * The travel agencies pages in a browser against a fresh cloud: an administrator creates a prepaid agency (the form
 * checks as they type), authorises a ticket type at a settlement price below its agency price, tops up ¥1,000,
 * adjusts with a reason, and reads the statement's closing balance; an operator of the agency role linked to it sees
 * "My account". Screenshots of the list, the detail, the ledger and the statement in both languages.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
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
  textOf,
} from './harness.js';

let cloud: ConsoleCloud;
let browser: Browser;
let admin: Awaited<ReturnType<typeof apiAs>>;
let current: Page | undefined;
let agencyId = '';

const WAIT = { timeout: 15_000 } as const;
const AGENT = { username: 'agent_chen', password: 'agent-chen-pass-1' } as const;

/** The error Ant Design shows under the form field labelled `label`. */
function fieldError(page: Page, label: string) {
  return page
    .locator('.ant-form-item')
    .filter({ has: page.getByLabel(label, { exact: true }) })
    .locator('.ant-form-item-explain-error');
}

describe.skipIf(!haveChromium)('the travel agencies pages', () => {
  beforeAll(async () => {
    cloud = await startConsoleCloud();
    browser = await launchBrowser();
    admin = await apiAs(cloud.url, ADMIN.username, ADMIN.password);
    await admin.post('/sites', {
      id: 'park',
      name: { zh: '湖光公园', en: 'Lakeside Park' },
      dailyCapacity: 500,
    });
    await admin.post('/ticket-types', {
      typeId: 1,
      siteId: 'park',
      code: 'ADULT',
      name: { zh: '成人票', en: 'Adult' },
      kind: 'single',
      prices: { window: 12000, agency: 9000 },
    });
  }, 90_000);
  afterEach(async (context) => {
    if (context.task.result?.state === 'fail' && current) await screenshot(current, 'agencies-failed');
  });
  afterAll(async () => {
    await browser?.close();
    await cloud?.stop();
  });

  it('creates a prepaid agency, prices a type, tops up, adjusts and balances the statement', async () => {
    const page = await openPage(browser, cloud.url);
    current = page;
    await signIn(page, ADMIN.username, ADMIN.password, '/agencies');
    await expect.poll(() => page.getByRole('heading', { name: '旅行社' }).count(), WAIT).toBeGreaterThan(0);
    await expect
      .poll(() => page.getByTestId('agencies-table').getByText('还没有旅行社').count(), WAIT)
      .toBe(1);

    // Create: the form says what is missing as the operator types, before asking the API.
    await page.getByRole('button', { name: '新建旅行社' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('旅行社名称').fill('x');
    await dialog.getByLabel('旅行社名称').fill('');
    await expect.poll(() => fieldError(page, '旅行社名称').textContent(), WAIT).toBe('必填');
    await dialog.getByLabel('旅行社名称').fill('春秋国际旅行社');
    await dialog.getByLabel('经营许可证号').fill('L-SH-01234');
    await dialog.getByLabel('姓名').fill('陈经理');
    await dialog.getByLabel('电话').fill('13800138000');
    await dialog.getByLabel('邮箱（选填）').fill('chen@');
    await expect.poll(() => fieldError(page, '邮箱（选填）').count(), WAIT).toBe(1);
    await dialog.getByLabel('邮箱（选填）').fill('chen@example.com');
    await settledScreenshot(page, 'agency-create.zh-CN');
    await dialog.getByRole('button', { name: named('保存') }).click();
    await page.waitForURL(/\/agencies\/[0-9a-f-]{36}/, WAIT);
    agencyId = new URL(page.url()).pathname.split('/')[2] ?? '';
    await expect.poll(() => textOf(page, 'agency-name'), WAIT).toBe('春秋国际旅行社');
    expect(await textOf(page, 'balance')).toBe('¥0.00');

    // Authorise the type: above its agency price (¥90.00) is refused as typed; ¥85.00 is saved.
    await page.getByTestId('add-type').click();
    await dialog.getByLabel('票种').click();
    await page
      .locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-item-option')
      .filter({ hasText: '成人票 (#1)' })
      .click();
    await expect.poll(() => dialog.getByText('不得高于票种的旅行社渠道价 ¥90.00').count(), WAIT).toBe(1);
    await dialog.getByLabel('结算价').fill('95');
    await expect
      .poll(() => fieldError(page, '结算价').textContent(), WAIT)
      .toBe('金额须在 ¥0.00 至 ¥90.00 之间');
    await dialog.getByLabel('结算价').fill('85');
    await dialog.getByRole('button', { name: named('保存') }).click();
    const types = page.getByTestId('agency-types');
    await expect.poll(() => types.getByText('¥85.00').count(), WAIT).toBe(1);
    expect(await types.getByText('¥90.00').count()).toBe(1);

    // Top up ¥1,000.
    await page.getByTestId('top-up').click();
    await dialog.getByLabel('金额（元）').fill('1000');
    await dialog.getByRole('button', { name: named('充值') }).click();
    await expect.poll(() => textOf(page, 'balance'), WAIT).toBe('¥1,000.00');

    // A manual adjustment needs its reason.
    await page.getByTestId('adjust').click();
    await dialog.getByLabel('调整金额（元），负数为减少').fill('-20.5');
    await dialog.getByRole('button', { name: '手工调账' }).click();
    await expect.poll(() => fieldError(page, '调整原因').textContent(), WAIT).toBe('必填');
    await dialog.getByLabel('调整原因').fill('补收上月手续费差额');
    await dialog.getByRole('button', { name: '手工调账' }).click();
    await expect.poll(() => textOf(page, 'balance'), WAIT).toBe('¥979.50');
    await settledScreenshot(page, 'agency-detail.zh-CN');

    // The ledger, newest first.
    await page.getByRole('tab', { name: '账户流水' }).click();
    const ledger = page.getByTestId('ledger');
    await expect.poll(() => ledger.locator('tbody tr.ant-table-row').count(), WAIT).toBe(2);
    const first = (await ledger.locator('tbody tr.ant-table-row').first().textContent()) ?? '';
    expect(first).toContain('调账');
    expect(first).toContain('补收上月手续费差额');
    await settledScreenshot(page, 'agency-ledger.zh-CN');

    // This month's statement: 0 + 1,000 − 20.50 + 0 = 979.50.
    await page.getByRole('tab', { name: '对账单' }).click();
    await expect.poll(() => textOf(page, 'statement-closing'), WAIT).toBe('¥979.50');
    expect(await textOf(page, 'statement-identity')).toBe(
      '期初 ¥0.00 + 充值 ¥1,000.00 − 扣款 ¥20.50 + 退回 ¥0.00 = 期末 ¥979.50',
    );
    await settledScreenshot(page, 'agency-statement.zh-CN');

    // The list shows the account.
    await page.goto('/agencies');
    const list = page.getByTestId('agencies-table');
    await expect.poll(() => list.getByText('春秋国际旅行社').count(), WAIT).toBe(1);
    expect(await list.getByText('¥979.50').count()).toBe(1);
    expect(await list.getByText('预存').count()).toBe(1);
    await settledScreenshot(page, 'agencies.zh-CN');

    // English.
    await page.getByTestId('language-switch').click();
    await expect.poll(() => page.getByRole('heading', { name: 'Agencies' }).count(), WAIT).toBeGreaterThan(0);
    await expect.poll(() => list.getByText('Prepaid').count(), WAIT).toBe(1);
    await settledScreenshot(page, 'agencies.en');
    await page.goto(`/agencies/${agencyId}`);
    await expect.poll(() => page.getByTestId('agency-types').getByText('Adult (#1)').count(), WAIT).toBe(1);
    await settledScreenshot(page, 'agency-detail.en');
    await page.getByRole('tab', { name: 'Ledger' }).click();
    await expect.poll(() => page.getByTestId('ledger').getByText('Adjustment').count(), WAIT).toBe(1);
    await settledScreenshot(page, 'agency-ledger.en');
    await page.getByRole('tab', { name: 'Statement' }).click();
    await expect.poll(() => textOf(page, 'statement-closing'), WAIT).toBe('¥979.50');
    await settledScreenshot(page, 'agency-statement.en');
    await page.getByTestId('adjust').click();
    await page.getByRole('dialog').getByLabel('Amount (CNY); negative to reduce').fill('0');
    await expect
      .poll(() => fieldError(page, 'Amount (CNY); negative to reduce').textContent(), WAIT)
      .toBe('The adjustment cannot be 0');
    await settledScreenshot(page, 'agency-adjust.en');
    await page.getByRole('dialog').getByRole('button', { name: 'Cancel' }).click();

    // A price for a date range beside the default one.
    const year = new Date().getUTCFullYear() + 1;
    await page.getByRole('tab', { name: 'Ticket types' }).click();
    await page.getByTestId('agency-types').getByRole('button', { name: 'Edit' }).click();
    const typeDialog = page.getByRole('dialog');
    await typeDialog.getByRole('button', { name: 'Add a date range' }).click();
    await typeDialog.getByPlaceholder('First date').fill(`${year}-02-10`);
    await typeDialog.getByPlaceholder('First date').press('Enter');
    await typeDialog.getByPlaceholder('Last date').fill(`${year}-02-12`);
    await typeDialog.getByPlaceholder('Last date').press('Enter');
    await typeDialog.getByLabel('Settlement price', { exact: true }).last().fill('80');
    await settledScreenshot(page, 'agency-type.en');
    await typeDialog.getByRole('button', { name: 'Save' }).click();
    await expect
      .poll(
        () => page.getByTestId('agency-types').getByText(`${year}-02-10 – ${year}-02-12: ¥80.00`).count(),
        WAIT,
      )
      .toBe(1);
  }, 180_000);

  it('shows a linked agency operator their own account, and nobody else the menu item', async () => {
    const agent = await createOperator(cloud.url, { ...AGENT, displayName: '陈经理', roles: ['agency'] });
    await admin.put(`/agencies/${agencyId}/operators/${agent.id}`, {});
    const page = await openPage(browser, cloud.url);
    current = page;
    await signIn(page, AGENT.username, AGENT.password, '/');
    const menu = page.getByTestId('main-menu');
    await expect.poll(() => menu.getByText('我的账户').count(), WAIT).toBe(1);
    await menu.getByText('我的账户').click();
    await expect.poll(() => textOf(page, 'agency-name'), WAIT).toBe('春秋国际旅行社');
    expect(await textOf(page, 'balance')).toBe('¥979.50');
    await expect.poll(() => page.getByTestId('agency-types').getByText('¥85.00').count(), WAIT).toBe(1);
    await settledScreenshot(page, 'my-agency.zh-CN');

    // An operator with no agency (the administrator): no menu item, and the page says why.
    const other = await openPage(browser, cloud.url);
    current = other;
    await signIn(other, ADMIN.username, ADMIN.password, '/my-agency');
    await expect.poll(() => other.getByTestId('not-linked').count(), WAIT).toBe(1);
    expect(await other.getByTestId('main-menu').getByText('我的账户').count()).toBe(0);
    await settledScreenshot(other, 'my-agency-not-linked.zh-CN');

    // The agency's operators tab names the linked operator.
    await other.goto(`/agencies/${agencyId}?tab=operators`);
    await expect
      .poll(() => other.getByTestId('agency-operators').getByText('陈经理（agent_chen）').count(), WAIT)
      .toBe(1);
    await settledScreenshot(other, 'agency-operators.zh-CN');

    // The agency operator's account in English.
    await page.getByTestId('language-switch').click();
    await expect
      .poll(() => page.getByRole('heading', { name: 'My account' }).count(), WAIT)
      .toBeGreaterThan(0);
    await page.getByRole('tab', { name: 'Statement' }).click();
    await expect.poll(() => textOf(page, 'statement-closing'), WAIT).toBe('¥979.50');
    await settledScreenshot(page, 'my-agency.en');
  }, 120_000);
});
