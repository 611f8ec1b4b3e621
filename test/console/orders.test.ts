/**
 * The group order and customer pages in a browser against one fresh cloud. Orders are placed through the API; the
 * board shows today's with a count per state; a cashier-manager confirms the venue's own order, raises its headcount
 * (the money difference shown), picks it up at a window with one group code paying cash with change, and prints it
 * (the PDF the button opens); an agency's prepaid order is cancelled after the cut-off with its fee shown before
 * confirming. Customers: found by phone and by member card, the profile's summary and purchases, a points adjustment
 * with its reason, and the ledger. Screenshots in both languages.
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
let page: Page;

const WAIT = { timeout: 15_000 } as const;
const CASHIER = { username: 'till_li', password: 'till-li-pass-1' } as const;
/** Today in the park's zone (Asia/Shanghai): the board opens on it. */
const TODAY = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
const ids = { own: '', agencyOrder: '', held: '', agency: '', customer: '' };

const shot = (name: string) => settledScreenshot(page, name);
const textOfPage = (testId: string) => textOf(page, testId);

function boardRows() {
  return page.getByTestId('orders-table').locator('tbody tr.ant-table-row');
}

describe.skipIf(!haveChromium)('the group order and customer pages', () => {
  beforeAll(async () => {
    cloud = await startConsoleCloud();
    browser = await launchBrowser();
    admin = await apiAs(cloud.url, ADMIN.username, ADMIN.password);
    await admin.post('/sites', {
      id: 'park',
      name: { zh: '湖光公园', en: 'Lakeside Park' },
      dailyCapacity: 500,
    });
    await admin.post('/sites/park/windows', { id: 'W01', name: { zh: '一号窗口', en: 'Window 1' } });
    await admin.post('/ticket-types', {
      typeId: 1,
      siteId: 'park',
      code: 'ADULT',
      name: { zh: '成人票', en: 'Adult' },
      kind: 'single',
      prices: { window: 12000, agency: 9000 },
    });
    const agency = await admin.post<{ id: string }>('/agencies', {
      name: '春秋国际旅行社',
      licenceNo: 'L-SH-01234',
      paymentMode: 'prepaid',
    });
    ids.agency = agency.id;
    await admin.put(`/agencies/${agency.id}/types/1`, { priceFen: 8500 });
    await admin.post(`/agencies/${agency.id}/top-ups`, { amountFen: 1_000_000 });
    const own = await admin.post<{ id: string }>('/group-orders', {
      siteId: 'park',
      reference: 'TOUR-A01',
      visitDate: TODAY,
      lines: [{ typeId: 1, quantity: 20 }],
      guide: { name: '王导', phone: '13800000000' },
    });
    ids.own = own.id;
    const paid = await admin.post<{ id: string }>('/group-orders', {
      siteId: 'park',
      agencyId: agency.id,
      reference: 'TOUR-B02',
      visitDate: TODAY,
      lines: [{ typeId: 1, quantity: 10 }],
    });
    ids.agencyOrder = paid.id;
    await admin.post(`/group-orders/${paid.id}/confirm`);
    const held = await admin.post<{ id: string }>('/group-orders', {
      siteId: 'park',
      agencyId: agency.id,
      reference: 'TOUR-C03',
      visitDate: TODAY,
      lines: [{ typeId: 1, quantity: 8 }],
      guide: { name: '李导游', phone: '13900000000' },
    });
    ids.held = held.id;
    page = await openPage(browser, cloud.url);
    await signIn(page, ADMIN.username, ADMIN.password, '/orders');
  }, 120_000);
  afterEach(async (context) => {
    if (context.task.result?.state === 'fail' && page) await screenshot(page, 'orders-failed');
  });
  afterAll(async () => {
    await browser?.close();
    await cloud?.stop();
  });

  it('shows the day’s board, then confirms, modifies, picks up, prints and cancels with a fee', async () => {
    await expect.poll(() => page.getByRole('heading', { name: '团队订单' }).count(), WAIT).toBeGreaterThan(0);
    await expect.poll(() => boardRows().count(), WAIT).toBe(3);
    expect(await textOfPage('count-held')).toMatch(/占位中\s*2/);
    expect(await textOfPage('count-confirmed')).toMatch(/已确认\s*1/);
    expect(await textOfPage('count-all')).toMatch(/全部\s*3/);
    const own = boardRows().filter({ hasText: 'TOUR-A01' });
    expect(await own.textContent()).toContain('¥2,400.00');
    expect(await own.textContent()).toContain('窗口现付');
    expect(await boardRows().filter({ hasText: 'TOUR-B02' }).textContent()).toContain('春秋国际旅行社');
    await shot('orders-board.zh-CN');

    // One state: fewer rows, the same counts.
    await page.getByTestId('count-confirmed').click();
    await expect.poll(() => boardRows().count(), WAIT).toBe(1);
    expect(await textOfPage('count-held')).toMatch(/占位中\s*2/);
    await page.getByTestId('count-all').click();
    await expect.poll(() => boardRows().count(), WAIT).toBe(3);

    // Confirm the venue's own order (paid at the window on pick-up).
    await own.getByTestId('order-link').click();
    await expect.poll(() => textOfPage('order-reference'), WAIT).toBe('TOUR-A01');
    expect(await page.getByTestId('action-pick-up').count()).toBe(0);
    await page.getByTestId('action-confirm').click();
    await expect
      .poll(() => page.getByTestId('confirm-dialog').textContent(), WAIT)
      .toContain('取票时在窗口付款 ¥2,400.00');
    await page
      .getByRole('dialog')
      .getByRole('button', { name: named('确认') })
      .click();
    await expect.poll(() => page.getByTestId('order-state').first().textContent(), WAIT).toBe('已确认');
    expect(await page.getByTestId('action-confirm').count()).toBe(0);

    // 20 → 25 persons: ¥600.00 more, collected at pick-up.
    await page.getByTestId('action-modify').click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('成人票 (#1)').fill('25');
    await expect.poll(() => textOfPage('modify-headcount'), WAIT).toBe('合计 25 人');
    await shot('order-modify.zh-CN');
    await dialog.getByRole('button', { name: '保存修改' }).click();
    await expect
      .poll(() => textOfPage('modify-difference'), WAIT)
      .toBe('金额差额 +¥600.00，取票时按新金额收款');
    expect(await textOfPage('modify-result')).toContain('¥2,400.00 → ¥3,000.00');
    await dialog
      .locator('.ant-modal-footer')
      .getByRole('button', { name: named('关闭') })
      .click();
    await expect.poll(() => textOfPage('order-headcount'), WAIT).toBe('25');
    expect(await textOfPage('order-total')).toBe('¥3,000.00');

    // Pick up at the window: one group code for 25, ¥3,100 cash, ¥100 change.
    await page.getByTestId('action-pick-up').click();
    await expect.poll(() => textOfPage('pick-up-due'), WAIT).toBe('¥3,000.00');
    await expect
      .poll(() => page.getByTestId('pick-up-form').locator('.ant-select-content').first().textContent(), WAIT)
      .toContain('一号窗口');
    await dialog.getByLabel('实收现金（元）').fill('3100');
    await expect.poll(() => textOfPage('pick-up-change'), WAIT).toBe('¥100.00');
    await shot('order-pick-up.zh-CN');
    await page.getByTestId('pick-up-ok').click();
    await expect.poll(() => textOfPage('pick-up-done'), WAIT).toContain('已出票 1 张');
    expect(await textOfPage('pick-up-done')).toContain('找零 ¥100.00');
    const href = await page.getByTestId('pick-up-print').getAttribute('href');
    expect(href).toBe(`/api/v1/group-orders/${ids.own}/tickets.pdf`);
    const pdf = await page.request.get(href!);
    expect(pdf.status()).toBe(200);
    expect(pdf.headers()['content-type']).toMatch(/^application\/pdf/);
    expect((await pdf.body()).subarray(0, 5).toString()).toBe('%PDF-');
    // The print button opens the PDF in a tab of its own.
    const [tab] = await Promise.all([
      page.context().waitForEvent('page', WAIT),
      page.getByTestId('pick-up-print').click(),
    ]);
    expect(tab.url()).toContain(`/api/v1/group-orders/${ids.own}/tickets.pdf`);
    await tab.close();
    await dialog
      .locator('.ant-modal-footer')
      .getByRole('button', { name: named('关闭') })
      .click();
    await expect.poll(() => page.getByTestId('order-state').first().textContent(), WAIT).toBe('已取票');
    expect(await page.getByTestId('action-print').getAttribute('href')).toBe(href);
    expect(await page.getByTestId('action-cancel').count()).toBe(0);
    await page.getByRole('tab', { name: /已出票/ }).click();
    const tickets = page.getByTestId('order-tickets').locator('tbody tr.ant-table-row');
    await expect.poll(() => tickets.count(), WAIT).toBe(1);
    expect(await tickets.first().textContent()).toContain('25');
    await page.getByRole('tab', { name: '状态记录' }).click();
    const history = page.getByTestId('order-history').locator('tbody tr.ant-table-row');
    await expect.poll(() => history.count(), WAIT).toBe(4);
    expect(await history.nth(2).textContent()).toContain('20 人 · ¥2,400.00 →');
    expect(await history.nth(3).textContent()).toContain('收款 现金 ¥3,100.00');
    await shot('order-history.zh-CN');

    // The agency's prepaid order, cancelled on its visit day: past the cut-off, so 10% of ¥850.00.
    await page.getByRole('link', { name: /返回团队订单/ }).click();
    await expect.poll(() => boardRows().count(), WAIT).toBe(3);
    await boardRows().filter({ hasText: 'TOUR-B02' }).getByTestId('order-link').click();
    await expect.poll(() => textOfPage('order-reference'), WAIT).toBe('TOUR-B02');
    await page.getByTestId('action-cancel').click();
    await expect.poll(() => textOfPage('cancel-fee'), WAIT).toContain('将收取手续费 ¥85.00');
    expect(await textOfPage('cancel-fee')).toContain('旅行社账户将退回 ¥765.00');
    await dialog.getByLabel('取消原因（选填）').fill('行程取消');
    await shot('order-cancel.zh-CN');
    await dialog.getByRole('button', { name: '确认取消' }).click();
    await expect.poll(() => page.getByTestId('order-state').first().textContent(), WAIT).toBe('已取消');
    await page.getByRole('tab', { name: '款项' }).click();
    const ledger = page.getByTestId('order-ledger').locator('tbody tr.ant-table-row');
    await expect.poll(() => ledger.count(), WAIT).toBe(3);
    const movements = await ledger.allTextContents();
    expect(movements[0]).toMatch(/确认订单扣款-¥850\.00$/);
    expect(movements[1]).toMatch(/取消取消退回\+¥850\.00$/);
    expect(movements[2]).toMatch(/取消手续费-¥85\.00$/);
    await shot('order-money.zh-CN');

    // The board now: one of each.
    await page.goto('/orders');
    await expect.poll(() => textOfPage('count-cancelled'), WAIT).toMatch(/已取消\s*1/);
    expect(await textOfPage('count-picked_up')).toMatch(/已取票\s*1/);
    expect(await textOfPage('count-held')).toMatch(/占位中\s*1/);

    // English.
    await page.getByTestId('language-switch').click();
    await expect
      .poll(() => page.getByRole('heading', { name: 'Group orders' }).count(), WAIT)
      .toBeGreaterThan(0);
    await expect.poll(() => textOfPage('count-picked_up'), WAIT).toMatch(/Picked up\s*1/);
    await shot('orders-board.en');
    await page.goto(`/orders/${ids.own}?tab=history`);
    await expect
      .poll(() => page.getByTestId('order-history').getByText('Picked up').count(), WAIT)
      .toBeGreaterThan(0);
    await shot('order-history.en');
    await page.goto(`/orders/${ids.held}`);
    await expect.poll(() => textOfPage('order-reference'), WAIT).toBe('TOUR-C03');
    // More persons than the day has left: the catalogue's message and code, and the order unchanged.
    await page.getByTestId('action-modify').click();
    await page.getByRole('dialog').getByLabel('Adult (#1)').fill('600');
    await page.getByRole('dialog').getByRole('button', { name: 'Save changes' }).click();
    await expect
      .poll(() => page.getByRole('dialog').getByTestId('error-alert').textContent(), WAIT)
      .toContain('(CAPACITY_EXHAUSTED)');
    await shot('order-modify-refused.en');
    await page.getByRole('dialog').getByRole('button', { name: 'Cancel', exact: true }).click();
    expect(await textOfPage('order-headcount')).toBe('8');
    await page.getByTestId('action-cancel').click();
    await expect.poll(() => textOfPage('cancel-fee'), WAIT).toContain('Cancelling now is free');
    await shot('order-cancel.en');
    await page.getByRole('dialog').getByRole('button', { name: 'Cancel', exact: true }).click();
    await page.getByTestId('language-switch').click();
    await expect.poll(() => page.getByRole('heading', { name: 'TOUR-C03' }).count(), WAIT).toBe(1);
  }, 180_000);

  it('finds a customer, shows the profile, adjusts points and shows the ledger', async () => {
    await admin.put('/points/rules/park', {
      enabled: true,
      pointsPerYuan: 1,
      redeemPointsPerYuan: 100,
      expiry: 'never',
    });
    const customer = await admin.post<{ id: string }>('/customers', {
      siteId: 'park',
      kind: 'member',
      name: '张伟',
      phone: '139 1234 5678',
      tags: ['VIP'],
    });
    ids.customer = customer.id;
    await admin.post(`/customers/${customer.id}/cards`, { cardUid: '04A1B2C3' });
    await admin.post(
      '/sales',
      {
        siteId: 'park',
        windowId: 'W01',
        customerId: customer.id,
        lines: [{ typeId: 1, quantity: 2, visitDate: TODAY }],
        payments: [{ method: 'cash', amountFen: 24_000 }],
      },
      { 'Idempotency-Key': `orders-test-${Date.now()}` },
    );

    await page.goto('/customers');
    await expect.poll(() => page.getByRole('heading', { name: '客户' }).count(), WAIT).toBeGreaterThan(0);
    await page.getByTestId('search-by').click();
    await page
      .locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-item-option')
      .filter({ hasText: '手机号' })
      .click();
    await page.getByPlaceholder('完整手机号').fill('13912345678');
    await page.getByPlaceholder('完整手机号').press('Enter');
    const rows = page.getByTestId('customers-table').locator('tbody tr.ant-table-row');
    await expect.poll(() => rows.count(), WAIT).toBe(1);
    expect(await rows.first().textContent()).toContain('04A1B2C3');
    await shot('customers.zh-CN');

    // By member card too.
    await page.getByTestId('search-by').click();
    await page
      .locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-item-option')
      .filter({ hasText: '会员卡号' })
      .click();
    await page.getByPlaceholder('刷卡或输入卡号').fill('04A1B2C3');
    await page.getByPlaceholder('刷卡或输入卡号').press('Enter');
    await expect.poll(() => page.url(), WAIT).toContain('by=cardUid');
    await expect.poll(() => rows.count(), WAIT).toBe(1);
    await rows.first().getByTestId('customer-link').click();

    await expect.poll(() => textOfPage('customer-name'), WAIT).toBe('张伟');
    await expect.poll(() => textOfPage('summary-spent'), WAIT).toBe('¥240.00');
    expect(await textOfPage('summary-tickets')).toBe('2');
    expect(await textOfPage('summary-visits')).toBe('0');
    expect(await textOfPage('summary-lastVisit')).toBe('从未入园');
    await expect
      .poll(() => page.getByTestId('customer-purchases').locator('tbody tr.ant-table-row').count(), WAIT)
      .toBe(1);
    await shot('customer-profile.zh-CN');

    await page.getByRole('tab', { name: '积分' }).click();
    await expect.poll(() => textOfPage('points-balance'), WAIT).toBe('240');
    await page.getByTestId('adjust-points').click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('调整积分，负数为扣减').fill('60');
    await dialog.getByRole('button', { name: '调整积分' }).click();
    await expect
      .poll(() => dialog.locator('.ant-form-item-explain-error').first().textContent(), WAIT)
      .toBe('必填');
    await dialog.getByLabel('调整原因').fill('生日礼遇');
    await dialog.getByRole('button', { name: '调整积分' }).click();
    await expect.poll(() => textOfPage('points-balance'), WAIT).toBe('300');
    const ledger = page.getByTestId('points-ledger').locator('tbody tr.ant-table-row');
    await expect.poll(() => ledger.count(), WAIT).toBe(2);
    const top = (await ledger.first().textContent()) ?? '';
    expect(top).toContain('手工调整');
    expect(top).toContain('+60');
    expect(top).toContain('生日礼遇');
    expect(await ledger.nth(1).textContent()).toContain('消费积分');
    await shot('customer-points.zh-CN');

    await page.getByRole('tab', { name: '入园记录' }).click();
    await expect
      .poll(() => page.getByTestId('customer-visits').getByText('没有入园记录').count(), WAIT)
      .toBe(1);

    // A lost card replaced by a new one.
    await page.getByRole('tab', { name: /会员卡/ }).click();
    await expect.poll(() => page.getByTestId('customer-cards').getByText('04A1B2C3').count(), WAIT).toBe(1);
    await page.getByTestId('bind-card').click();
    await dialog.getByLabel('卡号').fill('04D5E6F7');
    await dialog.getByLabel('补卡：替换旧卡（选填）').click();
    await page
      .locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-item-option')
      .filter({ hasText: '04A1B2C3' })
      .click();
    await dialog.getByRole('button', { name: '绑定会员卡' }).click();
    const cards = page.getByTestId('customer-cards').locator('tbody tr.ant-table-row');
    await expect.poll(() => cards.count(), WAIT).toBe(2);
    expect(await cards.filter({ hasText: '04D5E6F7' }).textContent()).toContain('正常');
    expect(await cards.filter({ hasText: '04A1B2C3' }).textContent()).toContain('已换卡');
    await shot('customer-cards.zh-CN');

    // English.
    await page.getByTestId('language-switch').click();
    await page.getByRole('tab', { name: 'Points' }).click();
    await expect.poll(() => page.getByTestId('points-ledger').getByText('Adjustment').count(), WAIT).toBe(1);
    await shot('customer-points.en');
    await page.getByRole('tab', { name: 'Purchases' }).click();
    await expect.poll(() => textOfPage('summary-lastVisit'), WAIT).toBe('Never');
    await shot('customer-profile.en');
    await page.getByRole('tab', { name: /Member cards/ }).click();
    await expect.poll(() => page.getByTestId('customer-cards').getByText('Replaced').count(), WAIT).toBe(1);
    await shot('customer-cards.en');
    await page.goto('/customers?by=name&q=%E5%BC%A0');
    await expect
      .poll(() => page.getByTestId('customers-table').locator('tbody tr.ant-table-row').count(), WAIT)
      .toBe(1);
    await shot('customers.en');
    await page.getByTestId('language-switch').click();

    // A cashier reads customers but adjusts nothing, and has the group orders (付款取单 is the window's work).
    await createOperator(cloud.url, { ...CASHIER, roles: ['cashier'] });
    const till = await openPage(browser, cloud.url);
    try {
      await signIn(till, CASHIER.username, CASHIER.password, `/customers/${ids.customer}?tab=points`);
      await expect.poll(() => till.getByTestId('points-balance').textContent(), WAIT).toBe('300');
      expect(await till.getByTestId('adjust-points').count()).toBe(0);
      await till.getByRole('tab', { name: /会员卡/ }).click();
      await expect.poll(() => till.getByTestId('customer-cards').getByText('04D5E6F7').count(), WAIT).toBe(1);
      expect(await till.getByTestId('bind-card').count()).toBe(0);
      const menu = till.getByTestId('main-menu');
      await expect.poll(() => menu.getByText('客户').count(), WAIT).toBe(1);
      expect(await menu.getByText('团队订单').count()).toBe(1);
    } finally {
      await till.context().close();
    }
  }, 120_000);
});
