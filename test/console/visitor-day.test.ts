/**
 * One visitor's day, across the console's areas against one real cloud and one real simulated gate: the administrator
 * sets a fresh cloud up with the first-run wizard (site, zone, window, adult and real-name senior ticket types from
 * the templates, a gate and its one-time password); the gate agent connects with that password and shows online; a
 * cashier sells three tickets by keyboard (one real-name senior, WeChat plus cash) and prints them; one ticket passes
 * the gate and appears in the live passage feed while occupancy moves; the zone is opened in an emergency and the
 * gate acknowledges; another ticket is refunded with finance's second approval; once the gate is back to normal, the
 * refunded ticket is refused there and the feed says why.
 */
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GateAgentProcess } from '../e2e/gate-agent-process.js';
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
const WAIT = { timeout: 20_000 } as const;
/** A person's pace at the keyboard (faster than 30 ms between keys is taken for a scanner). */
const HUMAN = { delay: 90 } as const;

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const withCheck = (first17: string) => {
  const sum = [...first17].reduce((total, digit, i) => total + Number(digit) * WEIGHTS[i]!, 0);
  return first17 + '10X98765432'[sum % 11]!;
};
/** Born 1950-03-15: a senior. */
const SENIOR_ID = withCheck('11010519500315123');

interface SaleDetail {
  id: string;
  totalFen: number;
  tickets: { ticketId: number; typeId: number; qrText: string | null }[];
}

let cloud: ConsoleCloud;
let browser: Browser;
let admin: Awaited<ReturnType<typeof apiAs>>;
let gate: GateAgentProcess | undefined;
let gatePassword: string;
let adminPage: Page;
const pages: Page[] = [];

async function text(locator: Locator): Promise<string> {
  return (await locator.textContent()) ?? '';
}

async function chooseOption(page: Page, testId: string, option: string): Promise<void> {
  const item = page
    .locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: option })
    .first();
  // A select whose options arrive with a fetch (the zones of the site just chosen) may open before they do, or the
  // previous select's dropdown may still be closing under the click: open it again until the option shows.
  for (let attempt = 1; ; attempt++) {
    await page.getByTestId(testId).click();
    try {
      await item.waitFor({ state: 'visible', timeout: 10_000 });
      break;
    } catch (error) {
      if (attempt === 3) throw error;
      await page.keyboard.press('Escape');
    }
  }
  await item.click();
}

async function activeId(page: Page): Promise<unknown> {
  return page.evaluate('document.activeElement && document.activeElement.id');
}

/** The first figure of the in-park count ("1 / 3000" → 1). */
async function inside(page: Page): Promise<number> {
  return Number(
    (await text(page.getByTestId('inside-park'))).replace(/,/g, '').match(/\d+/)?.[0] ?? Number.NaN,
  );
}

/** ¥1,234.50 → 123450 */
function fen(shown: string): number {
  const [yuan, cents = '00'] = shown.replace(/[^\d.]/g, '').split('.');
  return Number(yuan) * 100 + Number(cents.padEnd(2, '0').slice(0, 2));
}

describe.skipIf(!haveChromium)('one visitor’s day', () => {
  beforeAll(async () => {
    cloud = await startConsoleCloud();
    browser = await launchBrowser();
    admin = await apiAs(cloud.url, ADMIN.username, ADMIN.password);
  }, 120_000);
  afterAll(async () => {
    await gate?.stop();
    await browser?.close();
    await cloud?.stop();
  }, 60_000);

  it('from a fresh cloud to a refunded ticket refused at the gate', async () => {
    try {
      await day();
    } catch (error) {
      for (const [index, page] of pages.entries())
        await screenshot(page, `journey-failed-${index}`).catch(() => undefined);
      throw error;
    }
  }, 300_000);
});

async function day(): Promise<void> {
  // 1. The administrator's first sign-in: the setup wizard.
  adminPage = await openPage(browser, cloud.url);
  pages.push(adminPage);
  const setup = adminPage;
  await signIn(setup, ADMIN.username, ADMIN.password, '/');
  await setup.waitForURL(/\/setup$/, WAIT);
  await setup.getByLabel('景区编号').fill('park');
  await setup.getByLabel('中文名称').fill('西湖景区');
  await setup.getByLabel('英文名称').fill('West Lake');
  await setup.getByLabel('每日接待上限').fill('5000');
  await setup.getByLabel('在园容量').fill('3000');
  await setup.getByRole('button', { name: '下一步' }).click();

  await expect.poll(() => setup.getByTestId('setup-next').isDisabled(), WAIT).toBe(true);
  await setup.getByLabel('区域编号').fill('main');
  await setup.getByLabel('中文名称').fill('主园区');
  await setup.getByLabel('英文名称').fill('Main area');
  await setup.getByRole('button', { name: '添加区域' }).click();
  await expect.poll(() => setup.getByTestId('setup-zones').getByText('主园区').count(), WAIT).toBe(1);
  await setup.getByTestId('setup-next').click();

  await setup.getByLabel('窗口代码').fill('W01');
  await setup.getByLabel('中文名称').fill('1号窗口');
  await setup.getByLabel('英文名称').fill('Window 1');
  await setup.getByRole('button', { name: '添加窗口' }).click();
  await expect.poll(() => setup.getByTestId('setup-windows').getByText('1号窗口').count(), WAIT).toBe(1);
  await setup.getByTestId('setup-next').click();

  // The real templates route: adult and the real-name senior ticket.
  const templates = setup.getByTestId('setup-templates');
  await expect.poll(() => templates.locator('tbody tr').count(), WAIT).toBeGreaterThan(2);
  await templates.getByRole('checkbox', { name: '成人票' }).check();
  await templates.getByRole('checkbox', { name: '老人票' }).check();
  await screenshot(setup, 'journey-setup-types.zh-CN');
  await setup.getByTestId('create-types').click();
  await expect
    .poll(() => setup.getByTestId('setup-types').locator('tbody tr.ant-table-row').count(), WAIT)
    .toBe(2);
  const types =
    await admin.get<{ typeId: number; code: string; realName?: string; prices: { window?: number } }[]>(
      '/ticket-types?siteId=park',
    );
  const adult = types.find((type) => type.code === 'ADULT')!;
  const senior = types.find((type) => type.code === 'SENIOR')!;
  expect(senior.realName).toBe('per_ticket');
  await setup.getByTestId('setup-next').click();

  await setup.getByLabel('闸机编号').fill('G01');
  await setup.getByLabel('中文名称').fill('东门1号闸');
  await setup.getByLabel('英文名称').fill('East gate 1');
  await setup.getByRole('button', { name: '登记闸机并签发凭证' }).click();
  await setup.getByTestId('gate-password').waitFor(WAIT);
  gatePassword = (await text(setup.getByTestId('gate-password'))).trim();
  expect(gatePassword.length).toBeGreaterThanOrEqual(16);
  await screenshot(setup, 'journey-setup-gate.zh-CN');
  await setup.getByTestId('setup-finish').click();
  await setup.getByTestId('setup-dashboard').click();
  await setup.waitForURL(/\/dashboard$/, WAIT);
  expect(await admin.get('/sites/park/gates/G01')).toMatchObject({ zoneId: 'main' });

  // 2. The gate connects with the password the page showed once, and shows online.
  gate = GateAgentProcess.start('G01', {
    siteId: 'park',
    url: cloud.brokerUrl,
    username: 'gate@park@G01',
    password: gatePassword,
    direction: 'in',
  });
  await gate.waitFor((line) => line.msg === 'gate config applied', 90_000);
  await gate.waitFor((line) => line.msg === 'whitelist snapshot applied', 90_000);
  await adminPage.goto('/gates');
  const tile = adminPage.getByTestId('gate-G01');
  await expect.poll(() => tile.getAttribute('data-liveness'), WAIT).toBe('online');
  expect(await text(tile)).toContain('东门1号闸');
  await expect.poll(() => adminPage.getByTestId('inside-park').count(), WAIT).toBeGreaterThan(0);
  const insideBefore = await inside(adminPage);
  await screenshot(adminPage, 'journey-gates.zh-CN');

  // 3. The staff, and a refund threshold every ticket is above.
  await createOperator(cloud.url, { ...CASHIER, displayName: '王售票', roles: ['cashier'] });
  await createOperator(cloud.url, { ...FINANCE, displayName: '李财务', roles: ['finance'] });
  await admin.put('/auth/second-approval', { thresholdFen: 1_000 });

  // 4. The cashier sells two adults and a real-name senior by keyboard, WeChat plus cash.
  const till = await openPage(browser, cloud.url);
  pages.push(till);
  await signIn(till, CASHIER.username, CASHIER.password, '/window');
  await till.getByTestId('window-setup').waitFor(WAIT);
  await expect.poll(() => till.getByTestId('setup-save').isEnabled(), WAIT).toBe(true);
  await expect
    .poll(() => till.evaluate('document.activeElement && document.activeElement.textContent'), WAIT)
    .toContain('保存');
  await till.keyboard.press('Enter');
  await expect.poll(() => text(till.getByTestId('window-name')), WAIT).toContain('W01');
  await expect.poll(() => activeId(till), WAIT).toBe('window-type-list');
  await till.keyboard.type('2', HUMAN);
  await till.keyboard.press('ArrowDown');
  await till.keyboard.type('1', HUMAN);
  await expect
    .poll(() => text(till.getByTestId(`subtotal-${adult.typeId}`)), WAIT)
    .toBe(`¥${((2 * adult.prices.window!) / 100).toFixed(2)}`);
  await till.keyboard.press('Enter');
  const holder = `holder-t${senior.typeId}-0`;
  await expect.poll(() => activeId(till), WAIT).toBe(`${holder}-name`);
  await till.keyboard.type('李秀英');
  await till.keyboard.press('Enter');
  await expect.poll(() => activeId(till), WAIT).toBe(`${holder}-idNumber`);
  await till.keyboard.type(SENIOR_ID, HUMAN);
  await expect.poll(() => text(till.getByTestId(`holder-status-${holder.slice(7)}`)), WAIT).toContain('¥');
  const totalFen = fen(await text(till.getByTestId('cart-total')));
  expect(totalFen).toBeGreaterThan(2 * adult.prices.window!);
  expect(totalFen).toBeLessThanOrEqual(2 * adult.prices.window! + senior.prices.window!);
  await screenshot(till, 'journey-window.zh-CN');

  await till.keyboard.press('Enter');
  await till.getByTestId('payment').waitFor(WAIT);
  await till.keyboard.press('F8');
  await expect
    .poll(() => till.getByTestId('pay-wechat').inputValue(), WAIT)
    .toBe((totalFen / 100).toFixed(2));
  await till.keyboard.type('100', HUMAN);
  await expect.poll(() => till.getByTestId('pay-wechat').inputValue(), WAIT).toBe('100');
  await till.keyboard.press('F6');
  const restFen = totalFen - 10_000;
  await expect.poll(() => till.getByTestId('pay-cash').inputValue(), WAIT).toBe((restFen / 100).toFixed(2));
  // Cash in whole hundreds: change comes back.
  const cashFen = Math.ceil((restFen + 1) / 10_000) * 10_000;
  await till.keyboard.type(String(cashFen / 100), HUMAN);
  await expect
    .poll(() => text(till.getByTestId('pay-change')), WAIT)
    .toContain(`¥${((cashFen - restFen) / 100).toFixed(2)}`);
  await till.keyboard.press('Enter');
  await till.getByTestId('receipt').waitFor(WAIT);
  expect(await text(till.getByTestId('receipt-pay-wechat'))).toContain('¥100.00');
  expect(await text(till.getByTestId('receipt-pay-cash'))).toContain(`¥${(cashFen / 100).toFixed(2)}`);
  expect(await till.getByTestId('receipt-tickets').locator('tbody tr').count()).toBe(3);
  expect(await text(till.getByTestId('receipt-tickets'))).toContain('李秀英');
  await screenshot(till, 'journey-receipt.zh-CN');
  const { sales } = await admin.get<{ sales: { id: string }[] }>('/sales?siteId=park');
  expect(sales).toHaveLength(1);
  const href = await till.getByTestId('print-tickets').getAttribute('href');
  expect(href).toBe(`/api/v1/sales/${sales[0]!.id}/tickets.pdf`);
  const pdf = await till.request.get(href!);
  expect(pdf.status()).toBe(200);
  expect(pdf.headers()['content-type']).toMatch(/^application\/pdf/);
  expect((await pdf.body()).subarray(0, 5).toString()).toBe('%PDF-');
  const sale = await admin.get<SaleDetail>(`/sales/${sales[0]!.id}`);
  const adults = sale.tickets.filter((ticket) => ticket.typeId === adult.typeId);
  expect(adults).toHaveLength(2);
  const [entering, refunding] = adults as [SaleDetail['tickets'][0], SaleDetail['tickets'][0]];

  // 5. The visitor enters: the passage in the live feed, occupancy up by one.
  const passages = await adminPage.context().newPage();
  pages.push(passages);
  await passages.goto('/passages');
  await expect
    .poll(() => passages.getByTestId('passages-stream').getAttribute('data-state'), WAIT)
    .toBe('open');
  expect(await gate.scanOutcome(entering.qrText!, 15_000)).toMatchObject({ admit: true });
  await expect
    .poll(() => passages.getByTestId('live-feed').locator('tbody tr', { hasText: '东门1号闸' }).count(), WAIT)
    .toBe(1);
  expect(await text(passages.getByTestId('live-feed'))).toContain('通行');
  await expect.poll(() => text(passages.getByTestId('summary-entries')), WAIT).toContain('1');
  await screenshot(passages, 'journey-passages.zh-CN');
  await expect.poll(async () => inside(adminPage), WAIT).toBe(insideBefore + 1);
  await screenshot(adminPage, 'journey-occupancy.zh-CN');

  // 6. An emergency opens the zone: typed confirmation, the gate's ok.
  const commands = await adminPage.context().newPage();
  pages.push(commands);
  await commands.goto('/commands');
  await chooseOption(commands, 'command-action', '紧急开闸');
  await commands.getByTestId('command-target-kind').getByText('区域').click();
  await chooseOption(commands, 'command-site', '西湖景区');
  await chooseOption(commands, 'command-zone', '主园区');
  await expect.poll(() => text(commands.getByTestId('command-affects')), WAIT).toContain('将影响 1 台闸机');
  await commands.getByTestId('command-submit').click();
  const dialog = commands.getByRole('dialog');
  await expect.poll(() => text(dialog.getByTestId('confirm-word')), WAIT).toBe('main');
  const send = dialog.getByRole('button', { name: '确认下发' });
  expect(await send.isDisabled()).toBe(true);
  await dialog.getByTestId('confirm-input').fill('main');
  expect(await send.isDisabled()).toBe(false);
  await screenshot(commands, 'journey-emergency-confirm.zh-CN');
  await send.click();
  await expect.poll(() => commands.getByTestId('result-G01').getAttribute('data-result'), WAIT).toBe('ok');
  await expect
    .poll(() => commands.getByTestId('command-status').getAttribute('data-status'), WAIT)
    .toBe('completed');
  await screenshot(commands, 'journey-emergency.zh-CN');
  await expect
    .poll(() => tile.getByTestId('gate-mode').getAttribute('data-mode'), WAIT)
    .toBe('emergency_open');

  // 7. The other adult ticket is refunded from the sales list with finance's second approval.
  await till.goto('/sales');
  const row = till.getByTestId('sales-table').locator('tbody tr.ant-table-row');
  await expect.poll(() => row.count(), WAIT).toBe(1);
  await row.first().click();
  await till.waitForURL(/sale=/, WAIT);
  const tickets = till.getByTestId('sale-tickets').locator('tbody tr.ant-table-row');
  await expect.poll(() => tickets.count(), WAIT).toBe(3);
  await till.getByTestId('sale-refund').click();
  await till.getByLabel(`选择票号 ${refunding.ticketId}`).check();
  const refundShown = `¥${(adult.prices.window! / 100).toFixed(2)}`;
  await expect.poll(() => text(till.getByTestId('refund-amount')), WAIT).toBe(refundShown);
  expect(await text(till.getByTestId('refund-quote'))).toContain('需要（超过 ¥10.00）');
  await till.getByLabel('退票原因').fill('行程变更');
  await till.getByTestId('refund-submit').click();
  await till.getByTestId('second-approval').waitFor(WAIT);
  await till.getByLabel('复核人用户名').fill(FINANCE.username);
  await till.getByLabel('复核人密码').fill(FINANCE.password);
  await screenshot(till, 'journey-second-approval.zh-CN');
  await till.getByRole('button', { name: '复核并提交' }).click();
  await expect.poll(() => till.getByText(`退票成功，已退还 ${refundShown}`).count(), WAIT).toBe(1);
  await expect
    .poll(
      () => text(tickets.filter({ hasText: String(refunding.ticketId) }).getByTestId('ticket-status')),
      WAIT,
    )
    .toBe('已退票');
  await screenshot(till, 'journey-refunded.zh-CN');

  // 8. Back to normal, the gate decides again: the refunded ticket is refused, and the feed says why.
  await commands.goto('/commands');
  await chooseOption(commands, 'command-action', '恢复正常');
  await commands.getByTestId('command-target-kind').getByText('区域').click();
  await chooseOption(commands, 'command-site', '西湖景区');
  await chooseOption(commands, 'command-zone', '主园区');
  await commands.getByTestId('command-submit').click();
  const confirm = commands.getByRole('dialog');
  await expect.poll(() => text(confirm.getByTestId('confirm-word')), WAIT).toBe('main');
  await confirm.getByTestId('confirm-input').fill('main');
  await confirm.getByRole('button', { name: '确认下发' }).click();
  await expect.poll(() => commands.getByTestId('result-G01').getAttribute('data-result'), WAIT).toBe('ok');
  await expect.poll(() => tile.getByTestId('gate-mode').getAttribute('data-mode'), WAIT).toBe('normal');

  expect(await gate.scanOutcome(refunding.qrText!, 15_000)).toMatchObject({
    admit: false,
    reason: 'REFUNDED',
  });
  const denial = passages
    .getByTestId('live-feed')
    .locator('tbody tr', { hasText: String(refunding.ticketId) });
  await expect.poll(() => text(denial), WAIT).toContain('票已退');
  expect(await text(denial)).toContain('拒绝');
  await screenshot(passages, 'journey-refused.zh-CN');
}
