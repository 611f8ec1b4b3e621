/**
 * The sales desk in a browser, as a cashier: a scanner types a ticket's QR code and Enter into 票效查询; the sale
 * opens from 销售记录; a refund above the second-approval threshold asks for a second operator, refuses a wrong
 * password with the API's code and goes through with finance's; the lookup then shows the ticket refunded; an
 * upgrade (补票) goes through the same approval. Screenshots of each page in both languages.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ADMIN,
  apiAs,
  type ConsoleCloud,
  createOperator,
  haveChromium,
  launchBrowser,
  openPage,
  screenshot,
  signIn,
  startConsoleCloud,
} from './harness.js';

const CASHIER = { username: 'cashier1', password: 'cashier-pass-1' } as const;
const FINANCE = { username: 'finance1', password: 'finance-pass-1' } as const;
const ADULT = 301;
const COUNT = 302;

interface SoldTicket {
  ticketId: number;
  qrText: string;
}
interface SoldSale {
  id: string;
  tickets: SoldTicket[];
}

/** Today in the venue's zone: the ticket is valid now, so the lookup can say it may pass. */
const visitDate = () => new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date());

let cloud: ConsoleCloud;
let browser: Browser;
let sale: SoldSale;

const POLL = { timeout: 10_000 };

/** The first option with this text in the open Ant Design select. */
async function pickOption(page: Page, text: string | RegExp): Promise<void> {
  await page
    .locator('.ant-select-dropdown:visible .ant-select-item-option')
    .filter({ hasText: text })
    .first()
    .click();
}

/** Waits until no spinner is left (a table fades its loading mask out), so a screenshot shows the settled page. */
async function shot(page: Page, name: string): Promise<void> {
  await expect.poll(() => page.locator('.ant-spin-spinning, .ant-spin-blur').count(), POLL).toBe(0);
  await screenshot(page, name);
}

/** Runs a browser session, keeping a screenshot of where it stood when it failed. */
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

/** Types like a barcode scanner (a keyboard wedge): every character, then Enter. */
async function scan(page: Page, text: string): Promise<void> {
  const input = page.getByTestId('lookup-input');
  await input.click();
  await input.press('ControlOrMeta+a');
  await page.keyboard.type(text);
  await page.keyboard.press('Enter');
}

describe.skipIf(!haveChromium)('the sales desk', () => {
  beforeAll(async () => {
    cloud = await startConsoleCloud();
    browser = await launchBrowser();
    const admin = await apiAs(cloud.url, ADMIN.username, ADMIN.password);
    await admin.post('/sites', { id: 'park', name: { zh: '湖山景区', en: 'Lake Hill Park' } });
    await admin.post('/sites/park/windows', { id: 'W01', name: { zh: '一号窗口', en: 'Window 1' } });
    await admin.post('/ticket-types', {
      typeId: ADULT,
      siteId: 'park',
      code: 'ADULT',
      name: { zh: '成人票', en: 'Adult' },
      kind: 'single',
      prices: { window: 10_000 },
    });
    await admin.post('/ticket-types', {
      typeId: COUNT,
      siteId: 'park',
      code: 'COUNT10',
      name: { zh: '十次卡', en: '10-entry card' },
      kind: 'count',
      prices: { window: 50_000 },
    });
    await createOperator(cloud.url, { ...CASHIER, displayName: '王售票', roles: ['cashier'] });
    await createOperator(cloud.url, { ...FINANCE, displayName: '李财务', roles: ['finance'] });
    await admin.put('/auth/second-approval', { thresholdFen: 5_000 });
    const cashier = await apiAs(cloud.url, CASHIER.username, CASHIER.password);
    sale = await cashier.post<SoldSale>(
      '/sales',
      {
        siteId: 'park',
        windowId: 'W01',
        lines: [{ typeId: ADULT, quantity: 2, visitDate: visitDate() }],
        payments: [{ method: 'cash', amountFen: 20_000 }],
      },
      { 'Idempotency-Key': `desk-test-${Date.now()}` },
    );
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await cloud?.stop();
  });

  it(
    'looks a scanned ticket up, refunds it from its sale with a second approval, and shows it refunded',
    () =>
      session('zh-CN', 'refund', async (page) => {
        await signIn(page, CASHIER.username, CASHIER.password, '/lookup');
        const [first] = sale.tickets as [SoldTicket, SoldTicket];

        await scan(page, first.qrText);
        await expect
          .poll(() => page.getByTestId('lookup-verdict').textContent(), POLL)
          .toContain('现在可以通行');
        expect(
          await page.getByTestId('lookup-ticket').getByTestId('ticket-status').first().textContent(),
        ).toBe('有效');
        expect(new URL(page.url()).searchParams.get('code')).toBe(first.qrText);
        await shot(page, 'lookup.zh-CN');

        // A barcode that is not ours: the credential check says so.
        await scan(page, '123456789012');
        await expect
          .poll(() => page.getByTestId('credential-alert').textContent(), POLL)
          .toMatch(/校验位|不是本系统/);

        // The sale, from 销售记录.
        await page.getByTestId('main-menu').getByText('销售记录').click();
        await page.waitForURL(/\/sales/);
        const row = page.getByTestId('sales-table').locator('tbody tr.ant-table-row');
        await expect.poll(() => row.count(), POLL).toBe(1);
        expect(await row.first().textContent()).toContain('¥200.00');
        await shot(page, 'sales.zh-CN');
        await row.first().click();
        await page.waitForURL(/sale=/);
        const tickets = page.getByTestId('sale-tickets').locator('tbody tr.ant-table-row');
        await expect.poll(() => tickets.count(), POLL).toBe(2);
        await shot(page, 'sale.zh-CN');

        // 退票: one ticket, ¥100.00, above the ¥50.00 threshold.
        await page.getByTestId('sale-refund').click();
        await page.getByLabel(`选择票号 ${first.ticketId}`).check();
        await expect.poll(() => page.getByTestId('refund-amount').textContent(), POLL).toBe('¥100.00');
        expect(await page.getByTestId('refund-quote').textContent()).toContain('需要（超过 ¥50.00）');
        await page.getByLabel('退票原因').fill('行程变更');
        await shot(page, 'refund-dialog.zh-CN');
        await page.getByTestId('refund-submit').click();

        const approval = page.getByTestId('second-approval');
        await approval.waitFor({ timeout: 10_000 });
        await page.getByLabel('复核人用户名').fill(FINANCE.username);
        await page.getByLabel('复核人密码').fill('not-the-password');
        await page.getByRole('button', { name: '复核并提交' }).click();
        await expect
          .poll(() => approval.getByTestId('error-alert').textContent(), POLL)
          .toContain('SECOND_APPROVER_INVALID');
        await shot(page, 'second-approval.zh-CN');
        // The refused password is cleared and the cursor waits there.
        expect(await page.getByLabel('复核人密码').inputValue()).toBe('');
        await page.getByLabel('复核人密码').fill(FINANCE.password);
        await page.getByLabel('复核人密码').press('Enter');
        await expect.poll(() => page.getByText('退票成功，已退还 ¥100.00').count(), POLL).toBe(1);
        await expect.poll(() => page.getByTestId('refund-dialog').count(), POLL).toBe(0);
        await expect
          .poll(
            () =>
              tickets
                .filter({ hasText: String(first.ticketId) })
                .getByTestId('ticket-status')
                .textContent(),
            POLL,
          )
          .toBe('已退票');

        // The lookup, by deep link, now says refunded.
        await page.goto(`/lookup?code=${encodeURIComponent(first.qrText)}`);
        await expect.poll(() => page.getByTestId('lookup-verdict').textContent(), POLL).toContain('已退票');
        expect(
          await page.getByTestId('lookup-ticket').getByTestId('ticket-status').first().textContent(),
        ).toBe('已退票');
        await page.getByRole('tab', { name: /退票（1）/ }).click();
        await expect.poll(() => page.getByRole('tabpanel').textContent(), POLL).toContain(FINANCE.username);

        await page.getByTestId('main-menu').getByText('退票记录').click();
        const refunds = page.getByTestId('refunds-table').locator('tbody tr.ant-table-row');
        await expect.poll(() => refunds.count(), POLL).toBe(1);
        expect(await refunds.first().textContent()).toContain(FINANCE.username);
        await shot(page, 'refunds.zh-CN');
      }),
    120_000,
  );

  it(
    'upgrades the other ticket (补票) with the quote, change and a second approval, then prints the new one',
    () =>
      session('zh-CN', 'supplement', async (page) => {
        await signIn(page, CASHIER.username, CASHIER.password, '/lookup');
        const second = sale.tickets[1]!;
        await scan(page, second.qrText);
        await expect
          .poll(() => page.getByTestId('lookup-verdict').textContent(), POLL)
          .toContain('现在可以通行');
        await page.getByTestId('lookup-supplement').click();
        const dialog = page.getByTestId('supplement-dialog');
        await dialog.waitFor();
        await page.getByLabel('售票窗口').click();
        await pickOption(page, 'W01');
        await page.getByLabel('新票种').click();
        await pickOption(page, '十次卡');
        await expect.poll(() => page.getByTestId('supplement-amount').textContent(), POLL).toBe('¥400.00');
        await page.getByLabel('实收现金').fill('500');
        await expect.poll(() => dialog.textContent(), POLL).toContain('找零 ¥100.00');
        await shot(page, 'supplement.zh-CN');
        await page.getByTestId('supplement-submit').click();

        await page.getByTestId('second-approval').waitFor({ timeout: 10_000 });
        await page.getByLabel('复核人用户名').fill(FINANCE.username);
        await page.getByLabel('复核人密码').fill(FINANCE.password);
        await page.getByRole('button', { name: '复核并提交' }).click();
        await expect.poll(() => page.getByTestId('supplement-done').count(), POLL).toBe(1);
        expect(await dialog.textContent()).toContain('应收 ¥400.00，实收 ¥500.00，找零 ¥100.00');
        await shot(page, 'supplement-done.zh-CN');
        const download = page.waitForEvent('download');
        await page.getByRole('button', { name: '打印新票' }).click();
        expect((await download).suggestedFilename()).toMatch(/^ticket-\d+\.pdf$/);
        await page.getByRole('button', { name: /^完\s*成$/ }).click();

        // The old ticket is revoked; the list of supplements has it, approved by finance.
        await expect.poll(() => page.getByTestId('lookup-verdict').textContent(), POLL).toContain('已作废');
        await page.getByTestId('main-menu').getByText('补票记录').click();
        const rows = page.getByTestId('supplements-table').locator('tbody tr.ant-table-row');
        await expect.poll(() => rows.count(), POLL).toBe(1);
        expect(await rows.first().textContent()).toContain(FINANCE.username);
        await shot(page, 'supplements.zh-CN');
      }),
    120_000,
  );

  it(
    'shows the desk pages in English',
    () =>
      session('en', 'english', async (page) => {
        await signIn(
          page,
          CASHIER.username,
          CASHIER.password,
          `/lookup?code=${encodeURIComponent(sale.tickets[0]!.qrText)}`,
        );
        await expect
          .poll(() => page.getByTestId('lookup-verdict').textContent(), POLL)
          .toContain('Cannot pass now: Refunded');
        await shot(page, 'lookup.en');

        await page.getByTestId('main-menu').getByText('Sales records').click();
        const row = page.getByTestId('sales-table').locator('tbody tr.ant-table-row');
        await expect.poll(() => row.count(), POLL).toBe(1);
        await shot(page, 'sales.en');
        await row.first().click();
        await page.getByTestId('sale-refund').click();
        const valid = page
          .getByTestId('refund-dialog')
          .locator('tbody tr.ant-table-row', { hasText: 'Valid' });
        await expect.poll(() => valid.count(), POLL).toBe(1);
        await valid.getByRole('checkbox').check();
        await expect.poll(() => page.getByTestId('refund-amount').textContent(), POLL).toBe('¥500.00');
        await shot(page, 'refund-dialog.en');
        await page.getByTestId('refund-submit').click();
        await page.getByTestId('second-approval').waitFor({ timeout: 10_000 });
        await shot(page, 'second-approval.en');
        await page.getByRole('button', { name: 'Cancel' }).last().click();
        await page.getByRole('button', { name: 'Cancel' }).first().click();

        const fresh = page
          .getByTestId('sale-tickets')
          .locator('tbody tr.ant-table-row')
          .filter({ hasText: 'Valid' });
        await fresh.getByRole('button', { name: /^Supplement ticket/ }).click();
        await page.getByTestId('supplement-dialog').waitFor();
        const form = page.getByTestId('supplement-form');
        await form.getByText('Fee', { exact: true }).click();
        await page.getByLabel('Ticket window').click();
        await pickOption(page, 'W01');
        await form.getByText('Other', { exact: true }).click();
        await page.getByLabel('Amount').fill('12.5');
        await expect.poll(() => page.getByTestId('supplement-amount').textContent(), POLL).toBe('¥12.50');
        await shot(page, 'supplement.en');
      }),
    120_000,
  );
});
