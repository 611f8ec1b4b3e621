/**
 * The ticket window with a customer, as a cashier sells: attach a member by phone (F3), pay part with their points
 * (F10) and part in cash, see the points on the receipt and the balance drop; a balance spent elsewhere meanwhile is
 * refused with the API's message and shown anew; a count card sold onto an IC card read at the till, and a second
 * sale onto the same card named as in use on the card's own field.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  ADMIN,
  accessibilityViolations,
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

const CASHIER = { username: 'cashier2', password: 'cashier-pass-2' } as const;
const HUMAN = { delay: 90 } as const;
const CARD = '04A22B1C5D8000';
const MEMBER_CARD = 'A1B2C3D4';

let cloud: ConsoleCloud;
let browser: Browser;
let admin: Awaited<ReturnType<typeof apiAs>>;
let page: Page;
let memberId: string;

interface Account {
  balance: number;
}

const focused = () => page.evaluate('document.activeElement && document.activeElement.id');

async function tillReady(): Promise<void> {
  await expect.poll(focused, { timeout: 10_000 }).toBe('window-type-list');
}

async function nextCustomer(): Promise<void> {
  await page.keyboard.press('n');
  await page.getByTestId('type-list').waitFor();
  await tillReady();
}

async function balance(): Promise<number> {
  return (await admin.get<Account>(`/points/accounts/${memberId}`)).balance;
}

/** F3, the phone number, Enter: the one customer found is attached. */
async function attachByPhone(phone: string): Promise<void> {
  await page.keyboard.press('F3');
  await expect.poll(focused, { timeout: 10_000 }).toBe('customer-search');
  await page.keyboard.type(phone, HUMAN);
  await page.keyboard.press('Enter');
  await expect
    .poll(() => page.getByTestId('customer-name').textContent(), { timeout: 10_000 })
    .toBe('李会员');
  await tillReady();
}

async function switchLanguage(expectText: string): Promise<void> {
  await page.getByTestId('language-switch').click();
  await expect.poll(() => page.getByTestId('shortcut-legend').textContent()).toContain(expectText);
  await page.evaluate('document.activeElement && document.activeElement.blur()');
}

describe.skipIf(!haveChromium)('the ticket window with customers, points and cards', () => {
  beforeAll(async () => {
    cloud = await startConsoleCloud();
    browser = await launchBrowser();
    admin = await apiAs(cloud.url, ADMIN.username, ADMIN.password);
    await admin.post('/sites', {
      id: 'park',
      name: { zh: '翠湖公园', en: 'Green Lake Park' },
      timezone: 'Asia/Shanghai',
      dailyCapacity: 500,
    });
    await admin.post('/sites/park/windows', { id: 'W01', name: { zh: '东门一号窗口', en: 'East gate 1' } });
    await admin.post('/ticket-types', {
      typeId: 101,
      siteId: 'park',
      code: 'ADULT',
      name: { zh: '成人票', en: 'Adult' },
      kind: 'single',
      prices: { window: 8_000 },
    });
    await admin.post('/ticket-types', {
      typeId: 104,
      siteId: 'park',
      code: 'COUNT10',
      name: { zh: '十次卡', en: '10-entry card' },
      kind: 'count',
      entries: 10,
      prices: { window: 30_000 },
    });
    // 1 point per yuan paid; 10 points pay one yuan.
    await admin.put('/points/rules/park', {
      enabled: true,
      pointsPerYuan: 1,
      redeemPointsPerYuan: 10,
      expiry: 'never',
    });
    const member = await admin.post<{ id: string }>('/customers', {
      siteId: 'park',
      kind: 'member',
      name: '李会员',
      phone: '13800138000',
      tags: ['年卡客户'],
    });
    memberId = member.id;
    await admin.post(`/customers/${memberId}/cards`, { cardUid: MEMBER_CARD });
    await admin.post(`/points/accounts/${memberId}/adjustments`, {
      points: 1_000,
      reason: '开卡赠送',
    });
    await createOperator(cloud.url, {
      username: CASHIER.username,
      displayName: '赵售票',
      password: CASHIER.password,
      roles: ['cashier'],
    });
    page = await openPage(browser, cloud.url);
  }, 120_000);
  afterEach(async (context) => {
    if (context.task.result?.state === 'fail')
      await screenshot(page, `till-customer-failed-${context.task.id}`);
  });
  afterAll(async () => {
    await browser?.close();
    await cloud?.stop();
  });

  it('attaches a member by phone, takes part points and part cash, and shows the points earned and the balance', async () => {
    await signIn(page, CASHIER.username, CASHIER.password, '/window');
    // The only site and window are chosen already: Enter saves them for this terminal.
    await page.getByTestId('window-setup').waitFor();
    await expect.poll(() => page.getByTestId('setup-save').isEnabled(), { timeout: 10_000 }).toBe(true);
    await page.getByTestId('setup-save').focus();
    await page.keyboard.press('Enter');
    await tillReady();
    await attachByPhone('138 0013 8000');
    const bar = page.getByTestId('customer-bar');
    await expect.poll(() => bar.textContent(), { timeout: 10_000 }).toContain('积分 1,000');
    expect(await bar.textContent()).toContain('会员');
    expect(await bar.textContent()).toContain('年卡客户');

    await page.keyboard.type('2', HUMAN);
    await expect.poll(() => page.getByTestId('subtotal-101').textContent()).toBe('¥160.00');
    expect(await accessibilityViolations(page)).toEqual([]);
    await screenshot(page, 'till-customer.zh-CN');
    await page.keyboard.press('Enter');
    await page.getByTestId('payment').waitFor();
    // F10: the points pay what they can (1,000 points make ¥100); the cashier makes it ¥50, the rest in cash.
    await page.keyboard.press('F10');
    await expect.poll(() => page.getByTestId('pay-points').inputValue()).toBe('100.00');
    await expect.poll(() => page.getByTestId('pay-points-use').textContent()).toContain('用 1,000 积分');
    await page.keyboard.type('50', HUMAN);
    await expect.poll(() => page.getByTestId('pay-points-use').textContent()).toContain('用 500 积分');
    await expect.poll(() => page.getByTestId('pay-cash').inputValue()).toBe('110.00');
    // More than the balance is stopped at the till.
    await page.keyboard.press('Control+A');
    await page.keyboard.type('150', HUMAN);
    await expect.poll(() => page.getByTestId('pay-problem').textContent()).toContain('积分不足');
    await page.keyboard.press('Control+A');
    await page.keyboard.type('50', HUMAN);
    await expect.poll(() => page.getByTestId('pay-problem').count()).toBe(0);
    await page.keyboard.press('F6');
    await page.keyboard.type('120', HUMAN);
    await expect.poll(() => page.getByTestId('pay-change').textContent()).toContain('¥10.00');
    await screenshot(page, 'till-points.zh-CN');
    await switchLanguage('Pay with points');
    await screenshot(page, 'till-points.en');
    await switchLanguage('积分抵扣');
    await page.getByTestId('pay-cash').focus();
    await page.keyboard.press('Enter');

    await page.getByTestId('receipt').waitFor({ timeout: 10_000 });
    expect(await page.getByTestId('receipt-pay-points').textContent()).toContain('¥50.00');
    expect(await page.getByTestId('receipt-pay-cash').textContent()).toContain('¥120.00');
    // 500 points paid ¥50; the ¥110 paid in money earned 110 points: 1,000 − 500 + 110.
    const customerCard = page.getByTestId('receipt-customer');
    await expect.poll(() => customerCard.textContent(), { timeout: 10_000 }).toContain('积分余额 610');
    expect(await page.getByTestId('receipt-points-redeemed').textContent()).toContain('−500');
    expect(await page.getByTestId('receipt-points-earned').textContent()).toContain('+110');
    expect(await customerCard.textContent()).toContain('李会员');
    expect(await balance()).toBe(610);
    expect(await accessibilityViolations(page)).toEqual([]);
    await screenshot(page, 'till-customer-receipt.zh-CN');
    await switchLanguage('Next customer');
    await expect.poll(() => customerCard.textContent()).toContain('Points balance 610');
    await screenshot(page, 'till-customer-receipt.en');
    await switchLanguage('下一位客人');

    // The next customer starts without one; the member, found by reading their member card, shows the new balance.
    await nextCustomer();
    expect(await page.getByTestId('customer-bar').textContent()).not.toContain('李会员');
    await page.keyboard.press('F3');
    await expect.poll(focused, { timeout: 10_000 }).toBe('customer-search');
    // Somebody not registered first: said so, and the field keeps the keyboard.
    await page.keyboard.type('13900000000', HUMAN);
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByTestId('customer-none').count(), { timeout: 10_000 }).toBe(1);
    await screenshot(page, 'till-customer-drawer.zh-CN');
    await page.keyboard.press('Control+A');
    await page.keyboard.type('a1 b2 c3 d4', { delay: 5 });
    await page.keyboard.press('Enter');
    await expect
      .poll(() => page.getByTestId('customer-name').textContent(), { timeout: 10_000 })
      .toBe('李会员');
    await tillReady();
    await expect.poll(() => page.getByTestId('customer-bar').textContent()).toContain('积分 610');
    expect(await page.getByTestId('customer-bar').textContent()).toContain(MEMBER_CARD);
  }, 120_000);

  it('refuses points spent elsewhere meanwhile with the API message and shows the balance anew', async () => {
    // The member is attached with 610 points shown; 600 are taken at another desk.
    await admin.post(`/points/accounts/${memberId}/adjustments`, { points: -600, reason: '柜台兑换礼品' });
    await page.keyboard.type('1', HUMAN);
    await page.keyboard.press('Enter');
    await page.getByTestId('payment').waitFor();
    await page.keyboard.press('F10');
    await expect.poll(() => page.getByTestId('pay-points').inputValue()).toBe('61.00');
    await page.keyboard.press('Enter');
    await expect
      .poll(() => page.getByTestId('sale-error').textContent(), { timeout: 10_000 })
      .toContain('积分不足：需要 610，可用 10');
    // The balance is read again: 10 points now, and the amount typed is over it.
    await expect
      .poll(() => page.getByTestId('pay-points-use').textContent(), { timeout: 10_000 })
      .toContain('可用 10 积分');
    await screenshot(page, 'till-points-refused.zh-CN');
    await page.getByTestId('pay-points').focus();
    await page.keyboard.press('Control+A');
    await page.keyboard.type('1', HUMAN);
    await expect.poll(() => page.getByTestId('pay-problem').count()).toBe(0);
    await page.keyboard.press('Enter');
    await page.getByTestId('receipt').waitFor({ timeout: 10_000 });
    // 10 points paid ¥1, the ¥79 in cash earned 79.
    await expect
      .poll(() => page.getByTestId('receipt-points-balance').textContent(), { timeout: 10_000 })
      .toContain('79');
    expect(await balance()).toBe(79);
    await nextCustomer();
  }, 120_000);

  it('sells a count card onto a card read at the till; the same card again is named as in use', async () => {
    await page.keyboard.press('ArrowDown');
    await page.keyboard.type('1', HUMAN);
    await expect.poll(() => page.getByTestId('subtotal-104').textContent()).toBe('¥300.00');
    // Enter goes to the ticket's card first; a reader types the UID with separators, and Enter.
    await page.keyboard.press('Enter');
    await expect.poll(focused).toBe('card-t104-0');
    await page.keyboard.type('04:a2:2b:1c:5d:80:00', { delay: 5 });
    await expect.poll(() => page.getByTestId('card-uid-t104-0').textContent()).toBe(CARD);
    await screenshot(page, 'till-card.zh-CN');
    await page.keyboard.press('Enter');
    await page.getByTestId('payment').waitFor();
    await page.keyboard.press('Enter');
    await page.getByTestId('receipt').waitFor({ timeout: 10_000 });
    expect(await page.getByTestId('receipt-tickets').textContent()).toContain(CARD);
    await nextCustomer();

    // The same card on a second sale: refused, and said on the card's field.
    await page.keyboard.press('ArrowDown');
    await page.keyboard.type('1', HUMAN);
    await page.keyboard.press('Enter');
    await expect.poll(focused).toBe('card-t104-0');
    await page.keyboard.type(CARD.toLowerCase(), { delay: 5 });
    await page.keyboard.press('Enter');
    await page.getByTestId('payment').waitFor();
    await page.keyboard.press('Enter');
    await expect
      .poll(() => page.getByTestId('card-error-t104-0').textContent(), { timeout: 10_000 })
      .toContain(`IC 卡 ${CARD} 已绑定在有效的票上`);
    await expect.poll(focused).toBe('card-t104-0');
    expect(await page.getByTestId('sale-refused').count()).toBe(1);
    expect(await accessibilityViolations(page)).toEqual([]);
    await screenshot(page, 'till-card-in-use.zh-CN');
    // The same refusal in English: the cashier tries again.
    await switchLanguage('Attach a customer');
    await page.getByTestId('card-t104-0').focus();
    await page.keyboard.press('Enter');
    await page.getByTestId('payment').waitFor();
    await page.keyboard.press('Enter');
    await expect
      .poll(() => page.getByTestId('card-error-t104-0').textContent(), { timeout: 10_000 })
      .toContain(`IC card ${CARD} is already bound`);
    await expect.poll(focused).toBe('card-t104-0');
    await screenshot(page, 'till-card-in-use.en');
    await switchLanguage('关联客户');
  }, 120_000);
});
