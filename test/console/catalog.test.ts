import { fileURLToPath } from 'node:url';
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
  named,
  openPage,
  screenshot,
  settledScreenshot,
  signIn,
  startConsoleCloud,
} from './harness.js';

let cloud: ConsoleCloud;
let browser: Browser;
let admin: Awaited<ReturnType<typeof apiAs>>;
const CASHIER = { username: 'cashier_li', password: 'cashier-li-pass-1' } as const;

/** Today in the venue's zone (the site is in Asia/Shanghai), as the calendar shows it. */
const TODAY = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date());
const poll = { timeout: 10_000 } as const;

/** Opens an Ant Design select by its label and picks the option that shows `text`. */
async function pick(
  page: Page,
  label: string | RegExp,
  text: string | RegExp,
  search?: string,
): Promise<void> {
  const select = page.getByLabel(label, { exact: typeof label === 'string' });
  await select.click();
  if (search !== undefined) await select.fill(search);
  await page
    .locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-item-option')
    .filter({ hasText: text })
    .first()
    .click();
}

/** The error text Ant Design shows under a form field, found from the field's own input. */
function fieldError(page: Page, label: string) {
  return page
    .locator('.ant-form-item')
    .filter({ has: page.getByLabel(label, { exact: true }) })
    .locator('.ant-form-item-explain-error');
}

const AXE_SOURCE = fileURLToPath(new URL('../../node_modules/axe-core/axe.min.js', import.meta.url));

/**
 * No critical problem anywhere, and no serious one inside the page's own content (`main`). Colour contrast is left
 * out there: it comes from the console's theme (Ant Design's secondary text, tags and danger buttons), not a page.
 */
async function noSeriousViolations(page: Page): Promise<void> {
  expect(await accessibilityViolations(page, ['critical'])).toEqual([]);
  await page.addScriptTag({ path: AXE_SOURCE });
  const serious = await page.evaluate(async () => {
    const axe = (
      globalThis as unknown as {
        axe: {
          run: (
            context: string,
            options: unknown,
          ) => Promise<{
            violations: { id: string; impact: string | null; nodes: { target: string[] }[] }[];
          }>;
        };
      }
    ).axe;
    const result = await axe.run('main', { rules: { 'color-contrast': { enabled: false } } });
    return result.violations
      .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
      .map((violation) => ({
        id: violation.id,
        targets: violation.nodes.map((node) => node.target.join(' ')),
      }));
  });
  expect(serious).toEqual([]);
}

let stockPage: Page | undefined;

describe.skipIf(!haveChromium)('the catalog and stock pages', () => {
  beforeAll(async () => {
    cloud = await startConsoleCloud();
    browser = await launchBrowser();
    admin = await apiAs(cloud.url, ADMIN.username, ADMIN.password);
    await admin.post('/sites', {
      id: 'park',
      name: { zh: '湖光公园', en: 'Lakeside Park' },
      dailyCapacity: 500,
    });
    await admin.post('/sites/park/windows', { id: 'w1', name: { zh: '一号窗口', en: 'Window 1' } });
    await admin.post('/ticket-types', {
      typeId: 1,
      siteId: 'park',
      code: 'ADULT',
      name: { zh: '成人票', en: 'Adult' },
      kind: 'single',
      prices: { window: 8000, online: 7500 },
    });
    await admin.post('/ticket-types', {
      typeId: 2,
      siteId: 'park',
      code: 'TEN',
      name: { zh: '十次卡', en: 'Ten visits' },
      kind: 'count',
      prices: { window: 50000 },
    });
    await createOperator(cloud.url, {
      username: CASHIER.username,
      displayName: '李售票',
      password: CASHIER.password,
      roles: ['cashier'],
    });
  }, 90_000);
  afterEach(async (context) => {
    if (context.task.result?.state === 'fail' && stockPage) await screenshot(stockPage, 'catalog-failed');
  });
  afterAll(async () => {
    await browser?.close();
    await cloud?.stop();
  });

  it('creates a ticket type in the editor, shows field errors, and versions a price change', async () => {
    const page = await openPage(browser, cloud.url);
    await signIn(page, ADMIN.username, ADMIN.password, '/ticket-types');
    const list = page.getByTestId('ticket-types');
    await expect.poll(() => list.getByText('成人票').count(), poll).toBe(1);
    await expect.poll(() => list.getByText('售票窗口 ¥80.00').count(), poll).toBe(1);
    await settledScreenshot(page, 'ticket-types.zh-CN');
    await noSeriousViolations(page);

    await page.getByRole('button', { name: '新建票种' }).click();
    const editor = page.getByTestId('ticket-type-editor');
    await editor.getByLabel('票种编号').fill('3');
    await editor.getByLabel('票种代码').fill('ADULT');
    // Checked as it is typed: a name too long for the gate LEDs.
    await editor.getByLabel('中文名称').fill('票'.repeat(33));
    await expect.poll(() => fieldError(page, '中文名称').textContent(), poll).toContain('最多 32 个字符');
    await editor.getByLabel('中文名称').fill('学生票');
    await expect.poll(() => fieldError(page, '中文名称').count(), poll).toBe(0);
    await editor.getByLabel('英文名称').fill('Student');
    await editor.getByLabel('售票窗口').fill('40');
    await settledScreenshot(page, 'ticket-types-editor.zh-CN');
    // The gate rules: anti-passback and re-entry, checked against the protocol's limits as typed.
    await editor.getByLabel('防潜回（秒）').fill('700000');
    await expect.poll(() => fieldError(page, '防潜回（秒）').textContent(), poll).toContain('0–604800');
    await editor.getByLabel('防潜回（秒）').fill('600');
    await editor.getByText('严格进出交替（再次入园须先出园）').click();
    await editor.getByRole('button', { name: /添加时段/ }).click();
    await editor.getByText('闸机规则').scrollIntoViewIfNeeded();
    await settledScreenshot(page, 'ticket-types-editor-rules.zh-CN');
    await editor.getByText('年龄优惠', { exact: true }).first().scrollIntoViewIfNeeded();
    await settledScreenshot(page, 'ticket-types-editor-refund.zh-CN');
    await page.getByTestId('editor-save').click();
    // The API refuses the code taken at this site: its message, with its code, on the code field.
    await expect
      .poll(() => fieldError(page, '票种代码').textContent(), poll)
      .toContain('TICKET_TYPE_CODE_TAKEN');
    await editor.getByLabel('票种代码').fill('STUDENT');
    await page.getByTestId('editor-save').click();
    await expect.poll(() => list.getByText('学生票').count(), poll).toBe(1);
    await expect.poll(() => page.getByTestId('version-of-3').textContent(), poll).toBe('v1');
    const created = await admin.get<{
      rules: { antiPassbackSec: number; strictAlternation: boolean; hours: unknown[] };
    }>('/ticket-types/3');
    expect(created.rules).toMatchObject({
      antiPassbackSec: 600,
      strictAlternation: true,
      hours: [{ from: 480, to: 1020 }],
    });

    // A price change is a new version, and the versions show what changed.
    const row = list.locator('tr', { hasText: 'STUDENT' });
    await row.getByRole('button', { name: named('编辑') }).click();
    await editor.getByLabel('售票窗口').fill('45.50');
    await page.getByTestId('editor-save').click();
    await expect.poll(() => page.getByTestId('version-of-3').textContent(), poll).toBe('v2');
    await row.getByRole('button', { name: /版本记录/ }).click();
    const v2 = page.getByTestId('version-2');
    await expect.poll(() => v2.textContent(), poll).toContain('相对 v1 的改动');
    expect(await v2.textContent()).toContain('¥40.00');
    expect(await v2.textContent()).toContain('¥45.50');
    await settledScreenshot(page, 'ticket-types-versions.zh-CN');
    await page.getByRole('button', { name: '查看 v1' }).click();
    await expect.poll(() => page.getByTestId('version-view').textContent(), poll).toContain('¥40.00');
    await page.locator('.ant-modal-close').click();
    await page.locator('.ant-drawer-close').click();
    await expect.poll(() => page.locator('.ant-drawer-open').count(), poll).toBe(0);

    // The fee rates of supplements, as a section of the page.
    await page.getByRole('tab', { name: '超时费与再入园费' }).click();
    await page.getByLabel('学生票 超时费（元）').fill('10');
    await page
      .getByTestId('fee-rates')
      .locator('tr', { hasText: '学生票' })
      .getByRole('button', { name: named('保存') })
      .first()
      .click();
    await expect
      .poll(
        async () =>
          (await admin.get<{ typeId: number; amountFen: number }[]>('/supplements/fee-rates')).find(
            (r) => r.typeId === 3,
          )?.amountFen,
        poll,
      )
      .toBe(1000);
    await settledScreenshot(page, 'ticket-types-fees.zh-CN');

    await page.getByTestId('language-switch').click();
    await page.getByRole('tab', { name: 'Types', exact: true }).click();
    await expect.poll(() => list.getByText('Window ¥80.00').count(), poll).toBe(1);
    await settledScreenshot(page, 'ticket-types.en');
    await list.locator('tr', { hasText: 'STUDENT' }).getByRole('button', { name: 'Edit' }).click();
    await expect.poll(() => page.getByText('Edit ticket type: Student (now v2)').count(), poll).toBe(1);
    await settledScreenshot(page, 'ticket-types-editor.en');
    await page.getByRole('button', { name: 'Cancel' }).click();
    await expect.poll(() => page.locator('.ant-drawer-open').count(), poll).toBe(0);
    await list
      .locator('tr', { hasText: 'STUDENT' })
      .getByRole('button', { name: /Versions/ })
      .click();
    await expect.poll(() => page.getByTestId('version-2').textContent(), poll).toContain('Changes from v1');
    await settledScreenshot(page, 'ticket-types-versions.en');
    await page.context().close();
  }, 180_000);

  it('shows the capacity calendar, defines slots and refuses a cap below what is sold', async () => {
    const page = await openPage(browser, cloud.url);
    await signIn(page, ADMIN.username, ADMIN.password, '/capacity');
    const day = page.getByTestId(`day-${TODAY}`);
    await expect.poll(() => day.textContent(), poll).toContain('已售 0 / 500');
    expect(await page.getByTestId('daily-cap').textContent()).toBe('500');
    await noSeriousViolations(page);
    await day.click();
    const panel = page.getByTestId('day-panel');
    await expect.poll(() => panel.textContent(), poll).toContain('当天未设分时段');

    const define = page.getByTestId('define-slots');
    await define.getByLabel('开始 1').fill('09:00');
    await define.getByLabel('结束 1').fill('10:00');
    await define.getByLabel('限量 1').fill('2');
    await define.getByRole('button', { name: /再加一段/ }).click();
    await define.getByLabel('限量 2').fill('30');
    // Checked as it is typed: a slot ending before it starts.
    await define.getByLabel('结束 2').fill('09:30');
    await expect.poll(() => define.getByText('结束须晚于开始').count(), poll).toBe(1);
    await define.getByLabel('结束 2').fill('11:00');
    await define.getByRole('button', { name: '保存时段' }).click();
    const slots = page.getByTestId('slots');
    await expect.poll(() => slots.locator('tbody tr').count(), poll).toBe(2);

    // One ticket is sold into the first slot meanwhile; the page still shows it as unsold.
    const availability = await admin.get<{ slots: { id: string; start: string }[] }>(
      `/capacity/availability?siteId=park&date=${TODAY}`,
    );
    const first = availability.slots.find((slot) => slot.start === '09:00')!;
    await admin.post(
      '/sales',
      {
        siteId: 'park',
        windowId: 'w1',
        lines: [{ typeId: 1, quantity: 1, visitDate: TODAY, slotId: first.id }],
        payments: [{ method: 'cash', amountFen: 8000 }],
      },
      { 'Idempotency-Key': 'catalog-test-sale-1' },
    );
    const cap = page.getByLabel('09:00–10:00 限量');
    await cap.fill('0');
    await page
      .getByTestId('slot-cap-09:00')
      .getByRole('button', { name: named('保存') })
      .click();
    await expect
      .poll(() => fieldError(page, '09:00–10:00 限量').textContent(), poll)
      .toContain('限量不能低于已售的 1 人');
    expect(await fieldError(page, '09:00–10:00 限量').textContent()).toContain('CAPACITY_BELOW_SOLD');
    await settledScreenshot(page, 'capacity-refused.zh-CN');
    // Now the sold figure is known: the input's minimum follows it.
    await expect.poll(() => cap.getAttribute('min'), poll).toBe('1');
    await cap.fill('3');
    await page
      .getByTestId('slot-cap-09:00')
      .getByRole('button', { name: named('保存') })
      .click();
    await expect
      .poll(() => slots.locator('tr', { hasText: '09:00–10:00' }).textContent(), poll)
      .toContain('2');
    await settledScreenshot(page, 'capacity-day.zh-CN');
    await page.keyboard.press('Escape');
    await expect.poll(() => day.textContent(), poll).toContain('已售 1 / 500');
    await expect.poll(() => day.textContent(), poll).toContain('2 个时段');
    await settledScreenshot(page, 'capacity.zh-CN');

    await page.getByTestId('language-switch').click();
    await expect.poll(() => day.textContent(), poll).toContain('Sold 1 / 500');
    await settledScreenshot(page, 'capacity.en');
    await day.click();
    await expect.poll(() => page.getByTestId('slots').count(), poll).toBe(1);
    await settledScreenshot(page, 'capacity-day.en');
    await page.context().close();
  }, 180_000);

  it('makes stock, issues to a cashier, takes codes back, voids one and reconciles', async () => {
    const page = await openPage(browser, cloud.url);
    stockPage = page;
    await signIn(page, ADMIN.username, ADMIN.password, '/stock');
    await page.getByRole('button', { name: '生成一批票号' }).click();
    const generate = page.getByTestId('generate-form');
    await pick(page, '票种', '成人票');
    await generate.getByLabel('生成张数').fill('20');
    await page.getByRole('dialog').getByRole('button', { name: '生成一批票号' }).click();
    await expect.poll(() => page.getByTestId('batch-codes').locator('tbody tr').count(), poll).toBe(20);
    await settledScreenshot(page, 'stock-batch.zh-CN');
    await page.keyboard.press('Escape');

    // An import is all or nothing; each bad line is named.
    await page.getByRole('button', { name: '导入已印制票号' }).click();
    await pick(page, '票种', '成人票');
    await page.getByLabel('票号列表').fill('票号\n123456789012\nABC\n');
    await page.getByRole('dialog').getByRole('button', { name: '导入已印制票号' }).click();
    const refusal = page.getByTestId('stock-refusal');
    await expect.poll(() => refusal.textContent(), poll).toContain('STOCK_IMPORT_REJECTED');
    expect(await refusal.textContent()).toContain('第 3 行 ABC');
    await settledScreenshot(page, 'stock-import.zh-CN');
    await page
      .getByRole('dialog')
      .getByRole('button', { name: /取\s*消/ })
      .click();
    await settledScreenshot(page, 'stock.zh-CN');
    await noSeriousViolations(page);

    await page.getByRole('tab', { name: '出仓 / 交回 / 作废' }).click();
    const form = page.getByTestId('move-form');
    await pick(page, '售票员', '李售票');
    await pick(page, '批次', '#1');
    await form.getByLabel('张数', { exact: true }).fill('5');
    await form.getByRole('button', { name: named('出仓') }).click();
    await expect.poll(() => page.getByTestId('move-result').textContent(), poll).toContain('出仓 5 张');
    await settledScreenshot(page, 'stock-moves.zh-CN');

    await page.getByText('售票员交回').click();
    await pick(page, '交回的售票员', 'cashier_li');
    await form.getByText('按序号段').click();
    await pick(page, '批次', '#1');
    await form.getByLabel('起始序号').fill('1');
    await form.getByLabel('结束序号').fill('2');
    await form.getByRole('button', { name: '交回入仓' }).click();
    await expect.poll(() => page.getByTestId('move-result').textContent(), poll).toContain('交回入仓 2 张');

    await page.getByTestId('move-operation').getByText('作废').click();
    await form.getByText('按序号段').click();
    await pick(page, '批次', '#1');
    await form.getByLabel('起始序号').fill('3');
    await form.getByLabel('结束序号').fill('3');
    await form.getByLabel('作废原因').fill('损坏');
    await form.getByRole('button', { name: '作废' }).click();
    await page
      .getByRole('dialog')
      .getByRole('button', { name: /确\s*定|OK/ })
      .click();
    await expect.poll(() => page.getByTestId('move-result').textContent(), poll).toContain('作废 1 张');

    await page.getByRole('tab', { name: '对账' }).click();
    await expect.poll(() => page.getByTestId('reconciliation-verdict').textContent(), poll).toBe('账实相符');
    const equation = (await page.getByTestId('equation-states').textContent()) ?? '';
    expect(equation.replace(/\s+/g, '')).toBe('17在库+2已出仓+0已售+1已作废=20入库');
    await settledScreenshot(page, 'stock-reconciliation.zh-CN');

    await page.getByRole('tab', { name: '结存' }).click();
    await expect.poll(() => page.getByTestId('cashier-balances').textContent(), poll).toContain('cashier_li');
    await settledScreenshot(page, 'stock-balances.zh-CN');

    const batch = await admin.get<{ codes: string[] }>('/stock/batches/1');
    await page.getByRole('tab', { name: '票号查询' }).click();
    await page.getByTestId('lookup-code').fill(batch.codes[2]!);
    await page.getByRole('button', { name: '查询' }).click();
    await expect.poll(() => page.getByTestId('lookup-result').textContent(), poll).toContain('损坏');
    await settledScreenshot(page, 'stock-lookup.zh-CN');

    await page.getByTestId('language-switch').click();
    await page.getByRole('tab', { name: 'Reconciliation' }).click();
    await expect
      .poll(() => page.getByTestId('reconciliation-verdict').textContent(), poll)
      .toBe('Stock reconciles');
    await settledScreenshot(page, 'stock-reconciliation.en');
    await page.getByRole('tab', { name: 'Batches' }).click();
    await expect.poll(() => page.getByTestId('batches').textContent(), poll).toContain('Generated');
    await settledScreenshot(page, 'stock.en');
    await page.getByRole('tab', { name: 'Issue / return / void' }).click();
    await settledScreenshot(page, 'stock-moves.en');
    await page.context().close();

    // The cashier sees only their own stock: the 2 codes still in hand.
    const cashierPage = await openPage(browser, cloud.url);
    await signIn(cashierPage, CASHIER.username, CASHIER.password, '/my-stock');
    await expect.poll(() => cashierPage.getByTestId('my-stock').textContent(), poll).toContain('共 2 张');
    expect(await cashierPage.getByTestId('my-stock').textContent()).toContain(batch.codes[3]!);
    await settledScreenshot(cashierPage, 'my-stock.zh-CN');
    await noSeriousViolations(cashierPage);
    await cashierPage.goto('/stock');
    await expect.poll(() => cashierPage.getByTestId('forbidden').count(), poll).toBe(1);
    await cashierPage.goto('/my-stock');
    await cashierPage.getByTestId('language-switch').click();
    await expect.poll(() => cashierPage.getByTestId('my-stock').textContent(), poll).toContain('2 codes');
    await settledScreenshot(cashierPage, 'my-stock.en');
    await cashierPage.context().close();
  }, 180_000);
});
