/**
 * 交接班 to 日结 in a browser, once per language (each on its own site, so each has a day to close): a cashier opens
 * a shift with a float at the till, sells three tickets by keyboard there (one more, paid by WeChat, and a refund go
 * through the API as that cashier), drops cash to the safe and closes with a count by denomination that is short by more than the
 * approval threshold; a supervisor approves the variance on the shift's page; finance closes the day and exports the
 * day settlement as XLSX through the page's button — the download, read back, has the shift's figures. Screenshots
 * of every screen go to .tmp/screenshots/shift-*-<language>.png.
 */
import { readFileSync } from 'node:fs';
import ExcelJS from 'exceljs';
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
  settledScreenshot,
  signIn,
  startConsoleCloud,
  textOf,
} from './harness.js';

const PASSWORD = 'shift-test-pass-1';
const WAIT = { timeout: 15_000 } as const;
const todayInShanghai = () =>
  new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date());

interface ShiftReport {
  shift: { id: string; state: string; varianceFen: number | null };
  cash: { salesFen: number; refundsFen: number; expectedFen: number; countedFen: number | null };
  tenders: { method: string; expectedFen: number }[];
  sources: { source: string; amountFen: number; tickets: number }[];
}

let cloud: ConsoleCloud;
let browser: Browser;

describe.skipIf(!haveChromium)('a shift from open to the day settlement', () => {
  beforeAll(async () => {
    // The English run's window counts blind: the cashier sees the expected cash only once the till is closed.
    cloud = await startConsoleCloud({ SHIFT_BLIND_COUNT: 'hill/W01' });
    browser = await launchBrowser();
    const admin = await apiAs(cloud.url, ADMIN.username, ADMIN.password);
    for (const [id, zh, en] of [
      ['park', '翠湖公园', 'Green Lake Park'],
      ['hill', '凤凰山', 'Phoenix Hill'],
    ] as const) {
      await admin.post('/sites', { id, name: { zh, en }, timezone: 'Asia/Shanghai' });
      await admin.post(`/sites/${id}/windows`, {
        id: 'W01',
        name: { zh: '东门一号窗口', en: 'East gate 1' },
      });
    }
    let typeId = 201;
    for (const siteId of ['park', 'hill'])
      await admin.post('/ticket-types', {
        typeId: typeId++,
        siteId,
        code: `ADULT-${siteId}`,
        name: { zh: '成人票', en: 'Adult' },
        kind: 'single',
        prices: { window: 8_000 },
      });
    for (const [username, role, displayName] of [
      ['cashier-zh', 'cashier', '王售票'],
      ['cashier-en', 'cashier', 'Li Till'],
      ['supervisor', 'finance', '张主管'],
      ['finance', 'finance', '赵财务'],
    ] as const)
      await createOperator(cloud.url, { username, displayName, roles: [role], password: PASSWORD });
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await cloud?.stop();
  });

  for (const [language, siteId, typeId] of [
    ['zh-CN', 'park', 201],
    ['en', 'hill', 202],
  ] as const) {
    it(`${language}: open, sell, refund, close short, approve, close the day, export XLSX`, async () => {
      const cashierName = language === 'en' ? 'cashier-en' : 'cashier-zh';
      const shot = (page: Page, name: string) => settledScreenshot(page, `shift-${name}-${language}`);

      // The cashier, at this terminal's window.
      const till = await openPage(browser, cloud.url, language);
      await till.context().addInitScript({
        content: `localStorage.setItem('console.window.terminal', ${JSON.stringify(JSON.stringify({ siteId, windowId: 'W01' }))});`,
      });
      await signIn(till, cashierName, PASSWORD, '/window');
      await expect.poll(() => textOf(till, 'shift-tag'), WAIT).toMatch(/未开班|No shift/);
      await till.getByTestId('shift-button').click();
      await till.getByTestId('shift-open').waitFor(WAIT);
      await shot(till, 'open');
      await till.getByTestId('shift-float').fill('500');
      await till.getByTestId('shift-open-submit').click();
      await till.getByTestId('shift-current').waitFor(WAIT);
      await expect.poll(() => textOf(till, 'shift-tag'), WAIT).toMatch(/班次进行中|Open/);

      // Three tickets sold by keyboard at the till (Esc closes the drawer; cash, the exact amount), one more by the
      // API paid by WeChat, and one of the three refunded: all filed under the open shift by the journal.
      await till.keyboard.press('Escape');
      // Back at the till: the ticket-type list has the keys again, as after every sale.
      await expect
        .poll(() => till.evaluate('document.activeElement && document.activeElement.id'), WAIT)
        .toBe('window-type-list');
      await till.keyboard.type('3', { delay: 40 });
      await till.keyboard.press('Enter');
      await till.getByTestId('payment').waitFor(WAIT);
      await till.keyboard.press('Enter');
      await till.getByTestId('receipt').waitFor(WAIT);
      expect(await till.getByTestId('receipt-tickets').locator('tbody tr').count()).toBe(3);
      const cashier = await apiAs(cloud.url, cashierName, PASSWORD);
      const { sales } = await cashier.get<{ sales: { id: string }[] }>(`/sales?siteId=${siteId}&limit=1`);
      const cashSale = await cashier.get<{ id: string; tickets: { ticketId: number }[] }>(
        `/sales/${sales[0]!.id}`,
      );
      expect(cashSale.tickets).toHaveLength(3);
      await cashier.post(
        '/sales',
        {
          siteId,
          windowId: 'W01',
          lines: [{ typeId, quantity: 1, visitDate: todayInShanghai() }],
          payments: [{ method: 'wechat', amountFen: 8_000 }],
        },
        { 'idempotency-key': `shift-close-${language}-wechat` },
      );
      await cashier.post(
        '/refunds',
        { saleId: cashSale.id, ticketIds: [cashSale.tickets[0]!.ticketId], windowId: 'W01' },
        { 'idempotency-key': `shift-close-${language}-refund` },
      );
      await till.keyboard.press('n');
      await till.getByTestId('shift-button').click();
      await till.getByTestId('shift-current').waitFor(WAIT);

      // A drop of ¥100 to the safe, then the count: 5 × ¥100 where ¥560 is expected, short by ¥60 (> ¥50).
      await till.getByTestId('movement-amount').fill('100');
      await till.getByTestId('movement-reason').fill(language === 'en' ? 'Midday drop' : '午间上缴');
      await till.getByTestId('movement-submit').click();
      if (language === 'en') {
        await expect.poll(() => textOf(till, 'cash-reckoning'), WAIT).toContain('-¥100.00');
        expect(await textOf(till, 'cash-reckoning')).toContain('shown after the close');
        expect(await textOf(till, 'cash-reckoning')).not.toContain('¥560.00');
      } else await expect.poll(() => textOf(till, 'cash-reckoning'), WAIT).toContain('¥560.00');
      await shot(till, 'running');
      await till.getByTestId('by-denomination').click();
      await till.getByRole('spinbutton', { name: language === 'en' ? '¥100' : '100 元' }).fill('5');
      await expect.poll(() => textOf(till, 'denomination-total')).toContain('¥500.00');
      await shot(till, 'count');
      await till.getByTestId('shift-close-submit').click();
      await till.getByTestId('shift-closed').waitFor(WAIT);
      expect(await textOf(till, 'variance')).toMatch(/短款 ¥60\.00|Short by ¥60\.00/);
      expect(await textOf(till, 'expected-cash')).toBe('¥560.00');
      expect(await textOf(till, 'approval-needed')).toMatch(/须主管审批|supervisor must approve/);
      const pdfHref = await till.getByTestId('shift-report-pdf').getAttribute('href');
      const pdf = await till.request.get(pdfHref!);
      expect(pdf.status()).toBe(200);
      expect((await pdf.body()).subarray(0, 5).toString()).toBe('%PDF-');
      await shot(till, 'closed');
      const shiftId = /\/shifts\/([0-9a-f-]+)\//.exec(pdfHref!)![1]!;
      const report = await cashier.get<ShiftReport>(`/shifts/${shiftId}/report`);
      expect(report.shift.state).toBe('pending_approval');

      // The supervisor finds the shift in the list and approves it.
      const supervisor = await openPage(browser, cloud.url, language);
      await signIn(supervisor, 'supervisor', PASSWORD, '/shifts');
      await supervisor.getByTestId(`shift-link-${shiftId}`).waitFor(WAIT);
      await shot(supervisor, 'list');
      await supervisor.getByTestId(`shift-link-${shiftId}`).click();
      await supervisor.getByTestId('shift-approve').waitFor(WAIT);
      await shot(supervisor, 'detail');
      await supervisor
        .getByTestId('approval-note')
        .fill(language === 'en' ? 'Counted again: short' : '复点确认短款');
      await supervisor.getByTestId('approve-submit').click();
      await supervisor.getByTestId('approval').waitFor(WAIT);
      await shot(supervisor, 'approved');

      // Finance closes the day and exports it.
      const finance = await openPage(browser, cloud.url, language);
      const date = todayInShanghai();
      await signIn(finance, 'finance', PASSWORD, `/day-settlement?site=${siteId}&date=${date}`);
      await finance.getByTestId('close-day').waitFor(WAIT);
      await expect.poll(() => textOf(finance, 'day-total'), WAIT).toContain('240.00');
      await shot(finance, 'day');
      await finance.getByTestId('close-day').click();
      await finance.getByRole('button', { name: language === 'en' ? 'OK' : named('确定') }).click();
      await expect.poll(() => textOf(finance, 'settlement-state'), WAIT).toMatch(/已结账|^Closed$/);
      await shot(finance, 'day-closed');
      const [download] = await Promise.all([
        finance.waitForEvent('download', WAIT),
        finance.getByTestId('export-xlsx').click(),
      ]);
      expect(download.suggestedFilename()).toMatch(/\.xlsx$/);
      const workbook = new ExcelJS.Workbook();
      await workbook.xlsx.load(readFileSync((await download.path())!) as unknown as ArrayBuffer);
      const rows: unknown[][] = [];
      workbook.worksheets[0]!.eachRow((row) => rows.push((row.values as unknown[]).slice(1)));
      const totals = rows.at(-1)!;
      // The day is the shift: 4 sold less 1 refunded; cash 3 × 80 − 80, WeChat 80.
      const shiftNetFen = report.sources.reduce((sum, s) => sum + s.amountFen, 0);
      const shiftTickets = report.sources.reduce((sum, s) => sum + s.tickets, 0);
      expect(shiftNetFen).toBe(24_000);
      expect(totals.slice(3)).toEqual([shiftTickets, shiftTickets, shiftNetFen / 100]);
      const tender = (name: string) =>
        rows.find((r) => r[1] === name && /支付方式|tender/.test(String(r[0])));
      const cashName = language === 'en' ? 'Cash' : '现金';
      const wechatName = language === 'en' ? 'WeChat Pay' : '微信支付';
      expect(tender(cashName)?.[5]).toBe((report.cash.salesFen + report.cash.refundsFen) / 100);
      expect(tender(wechatName)?.[5]).toBe(
        report.tenders.find((r) => r.method === 'wechat')!.expectedFen / 100,
      );
      // The month as it stands: the closed day in its list, the month still open.
      await finance.goto(`/month-settlement?site=${siteId}&month=${date.slice(0, 7)}`);
      await expect.poll(() => textOf(finance, 'month-days'), WAIT).toContain(date);
      await shot(finance, 'month');
      // The month as it stands: the closed day in its list, the month still open.
      await finance.goto(`/month-settlement?site=${siteId}&month=${date.slice(0, 7)}`);
      await expect.poll(() => textOf(finance, 'month-days'), WAIT).toContain(date);
      await shot(finance, 'month');
      await Promise.all([till.close(), supervisor.close(), finance.close()]);
    }, 180_000);
  }
});
