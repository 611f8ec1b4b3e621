/**
 * 数据管理 in a browser, as finance: sales and a refund made through the API, then 销售历史查询 and 销售汇总表 show
 * the same figures as the API (sales − refunds = net), and the Excel export downloaded from each page, opened with
 * exceljs, adds up to its totals row and to the API's totals. The communication report's daily tab too. Screenshots
 * of each page in both languages for a person to look at.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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
  openPage,
  screenshot,
  signIn,
  startConsoleCloud,
} from './harness.js';

const CASHIER = { username: 'cashier1', password: 'cashier-pass-1' } as const;
const FINANCE = { username: 'finance1', password: 'finance-pass-1' } as const;
const ADULT = 301;
const FAMILY = 302;
const POLL = { timeout: 15_000 };

const today = () => new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date());

interface Totals {
  salesFen: number;
  refundsFen: number;
  netFen: number;
  takings: number;
  tickets: number;
}
interface Figure {
  tickets: number | null;
  amountFen: number;
}

let cloud: ConsoleCloud;
let browser: Browser;
let downloads: string;
let finance: Awaited<ReturnType<typeof apiAs>>;
let cashier: Awaited<ReturnType<typeof apiAs>>;

async function shot(page: Page, name: string): Promise<void> {
  await expect.poll(() => page.locator('.ant-spin-spinning, .ant-spin-blur').count(), POLL).toBe(0);
  await screenshot(page, name);
}

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

/** The number a figure carries (data-fen / data-value), once it is on the page. */
async function figure(page: Page, testId: string, attribute = 'data-fen'): Promise<number> {
  const element = page.getByTestId(testId).first();
  await element.waitFor(POLL);
  return Number(await element.getAttribute(attribute));
}

/** Clicks the page's Excel export and opens the file it downloads: headers, rows, and the totals row. */
async function exportedWorkbook(page: Page, name: string) {
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByTestId('export-xlsx').click(),
  ]);
  const path = join(downloads, `${name}.xlsx`);
  await download.saveAs(path);
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.readFile(path);
  const values: unknown[][] = [];
  workbook.worksheets[0]!.eachRow((row) => {
    values.push((row.values as unknown[]).slice(1));
  });
  const [headers, ...rest] = values as [string[], ...unknown[][]];
  return { fileName: download.suggestedFilename(), headers, rows: rest.slice(0, -1), totals: rest.at(-1)! };
}

/** A money column of the workbook in fen: the sum of its rows and the totals row's figure. */
function moneyColumn(sheet: { headers: string[]; rows: unknown[][]; totals: unknown[] }, header: string) {
  const index = sheet.headers.indexOf(header);
  expect(index, `${header} in ${sheet.headers.join(', ')}`).toBeGreaterThanOrEqual(0);
  const fen = (value: unknown) => Math.round(Number(value ?? 0) * 100);
  return {
    sum: sheet.rows.reduce<number>((n, row) => n + fen(row[index]), 0),
    total: fen(sheet.totals[index]),
  };
}

describe.skipIf(!haveChromium)('数据管理 (reports)', () => {
  beforeAll(async () => {
    cloud = await startConsoleCloud();
    browser = await launchBrowser();
    downloads = mkdtempSync(join(tmpdir(), 'reports-downloads-'));
    const admin = await apiAs(cloud.url, ADMIN.username, ADMIN.password);
    await admin.post('/sites', { id: 'park', name: { zh: '湖山景区', en: 'Lake Hill Park' } });
    await admin.post('/sites/park/windows', { id: 'W01', name: { zh: '一号窗口', en: 'Window 1' } });
    await admin.post('/sites/park/windows', { id: 'W02', name: { zh: '二号窗口', en: 'Window 2' } });
    await admin.post('/ticket-types', {
      typeId: ADULT,
      siteId: 'park',
      code: 'ADULT',
      name: { zh: '成人票', en: 'Adult' },
      kind: 'single',
      prices: { window: 12_000 },
    });
    await admin.post('/ticket-types', {
      typeId: FAMILY,
      siteId: 'park',
      code: 'FAMILY',
      name: { zh: '家庭套票', en: 'Family pass' },
      kind: 'single',
      prices: { window: 128_850 },
    });
    await createOperator(cloud.url, { ...CASHIER, displayName: '王售票', roles: ['cashier'] });
    await createOperator(cloud.url, { ...FINANCE, displayName: '李财务', roles: ['finance'] });
    cashier = await apiAs(cloud.url, CASHIER.username, CASHIER.password);
    finance = await apiAs(cloud.url, FINANCE.username, FINANCE.password);
    let n = 0;
    const sell = (windowId: string, typeId: number, quantity: number, method: string, amountFen: number) =>
      cashier.post<{ id: string; tickets: { ticketId: number }[] }>(
        '/sales',
        {
          siteId: 'park',
          windowId,
          lines: [{ typeId, quantity, visitDate: today() }],
          payments: [{ method, amountFen }],
        },
        { 'Idempotency-Key': `reports-test-${Date.now()}-${n++}` },
      );
    const first = await sell('W01', ADULT, 3, 'cash', 36_000);
    await sell('W02', FAMILY, 10, 'wechat', 1_288_500);
    await sell('W01', FAMILY, 1, 'alipay', 128_850);
    await cashier.post(
      '/refunds',
      { saleId: first.id, ticketIds: [first.tickets[0]!.ticketId] },
      { 'Idempotency-Key': `reports-test-refund-${Date.now()}` },
    );
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await cloud?.stop();
    if (downloads) rmSync(downloads, { recursive: true, force: true });
  });

  it('sales history: totals over the filter equal the API’s, and the Excel export adds up to them', () =>
    session('zh-CN', 'history', async (page) => {
      const day = today();
      const api = await finance.get<{ totals: Totals; items: unknown[] }>(
        `/reports/sales-history?from=${day}&to=${day}`,
      );
      expect(api.totals.refundsFen).toBeGreaterThan(0);
      await signIn(page, FINANCE.username, FINANCE.password, '/sales-history');
      await expect.poll(() => figure(page, 'total-net'), POLL).toBe(api.totals.netFen);
      expect(await figure(page, 'total-sales')).toBe(api.totals.salesFen);
      expect(await figure(page, 'total-refunds')).toBe(-api.totals.refundsFen);
      expect(api.totals.salesFen - api.totals.refundsFen).toBe(api.totals.netFen);
      expect(await figure(page, 'total-takings', 'data-value')).toBe(api.totals.takings);
      // ¥ with thousands separators, as finance writes money.
      expect(await page.getByTestId('total-sales').first().textContent()).toBe('¥14,533.50');
      await expect
        .poll(() => page.getByTestId('history-table').locator('tbody tr.ant-table-row').count(), POLL)
        .toBe(api.items.length);
      await shot(page, 'reports-history.zh-CN');

      const sheet = await exportedWorkbook(page, 'history');
      expect(sheet.fileName).toBe('销售历史.xlsx');
      expect(sheet.rows).toHaveLength(api.totals.takings);
      const amount = moneyColumn(sheet, '金额');
      expect([amount.sum, amount.total]).toEqual([api.totals.netFen, api.totals.netFen]);
      expect(sheet.totals).toContain('合计');

      // A filter in the address narrows both the screen and the file: WeChat only.
      await page.goto(`/sales-history?method=wechat`);
      await expect.poll(() => figure(page, 'total-net'), POLL).toBe(1_288_500);
      const wechat = await exportedWorkbook(page, 'history-wechat');
      expect(wechat.rows).toHaveLength(1);
      expect(moneyColumn(wechat, '金额').total).toBe(1_288_500);
    }));

  it('sales summary by type then kind: the totals row equals the API’s, and so does the export', () =>
    session('zh-CN', 'summary', async (page) => {
      const day = today();
      const api = await finance.get<{ rows: unknown[]; totals: Record<string, Figure> }>(
        `/reports/sales-summary?from=${day}&to=${day}&by=type&thenBy=source`,
      );
      await signIn(page, FINANCE.username, FINANCE.password, '/sales-summary?by=type&by2=source');
      await expect.poll(() => figure(page, 'sum-net'), POLL).toBe(api.totals.net!.amountFen);
      expect(await figure(page, 'sum-sales')).toBe(api.totals.sales!.amountFen);
      expect(await figure(page, 'sum-refunds')).toBe(api.totals.refunds!.amountFen);
      expect(await figure(page, 'sum-net-tickets', 'data-value')).toBe(api.totals.net!.tickets);
      await expect
        .poll(() => page.getByTestId('summary-table').locator('tbody tr.ant-table-row').count(), POLL)
        .toBe(api.rows.length);
      await shot(page, 'reports-summary.zh-CN');
      const sheet = await exportedWorkbook(page, 'summary');
      expect(sheet.headers.slice(0, 2)).toEqual(['票种', '业务']);
      for (const [header, key] of [
        ['售票金额', 'sales'],
        ['退票金额', 'refunds'],
        ['净额金额', 'net'],
      ] as const) {
        const column = moneyColumn(sheet, header);
        expect([column.sum, column.total], header).toEqual([
          api.totals[key]!.amountFen,
          api.totals[key]!.amountFen,
        ]);
      }
    }));

  it('shows the pages in English, with the communication report and an empty range', () =>
    session('en', 'english', async (page) => {
      await signIn(page, FINANCE.username, FINANCE.password, '/sales-history');
      await page.getByTestId('total-net').first().waitFor(POLL);
      await expect
        .poll(() => page.getByTestId('total-net').first().textContent(), POLL)
        .toMatch(/^¥[\d,]+\.\d\d$/);
      await shot(page, 'reports-history.en');
      await page.goto('/sales-summary?by=window');
      await page.getByTestId('sum-net').first().waitFor(POLL);
      await shot(page, 'reports-summary.en');
      await page.goto('/sales-history?from=2020-01-01&to=2020-01-02');
      await expect.poll(() => page.getByText('No takings in this range').count(), POLL).toBeGreaterThan(0);
      await shot(page, 'reports-history-empty.en');
      await page.goto('/comm-report?tab=daily');
      await page.getByTestId('comm-log-daily').waitFor(POLL);
      await shot(page, 'reports-comm.en');
    }));

  it('shows the communication report in Chinese with its exports', () =>
    session('zh-CN', 'comm', async (page) => {
      await signIn(page, FINANCE.username, FINANCE.password, '/comm-report');
      await page.getByTestId('comm-log-entries').waitFor(POLL);
      expect(await page.getByTestId('export-xlsx').count()).toBe(1);
      await shot(page, 'reports-comm.zh-CN');
    }));

  it('pages the history 50 at a time with “more”, the totals always over the whole filter', () =>
    session('zh-CN', 'more', async (page) => {
      // 55 more cash sales at window 2: more than one page.
      for (let batch = 0; batch < 11; batch++)
        await Promise.all(
          Array.from({ length: 5 }, (_, i) =>
            cashier.post(
              '/sales',
              {
                siteId: 'park',
                windowId: 'W02',
                lines: [{ typeId: ADULT, quantity: 1, visitDate: today() }],
                payments: [{ method: 'cash', amountFen: 12_000 }],
              },
              { 'Idempotency-Key': `reports-more-${Date.now()}-${batch}-${i}` },
            ),
          ),
        );
      const day = today();
      const api = await finance.get<{ totals: Totals }>(
        `/reports/sales-history?from=${day}&to=${day}&windowId=W02&method=cash`,
      );
      expect(api.totals.takings).toBe(55);
      await signIn(page, FINANCE.username, FINANCE.password, '/sales-history?window=W02&method=cash');
      const rows = page.getByTestId('history-table').locator('tbody tr.ant-table-row');
      await expect.poll(() => rows.count(), POLL).toBe(50);
      expect(await figure(page, 'total-takings', 'data-value')).toBe(55);
      expect(await figure(page, 'total-net')).toBe(55 * 12_000);
      expect(await page.getByTestId('history-shown').textContent()).toBe('已显示 50 / 共 55 笔');
      await page.getByRole('button', { name: /加\s*载\s*更\s*多/ }).click();
      await expect.poll(() => rows.count(), POLL).toBe(55);
      expect(await page.getByTestId('history-shown').textContent()).toBe('已显示 55 / 共 55 笔');
      expect(await page.getByRole('button', { name: /加\s*载\s*更\s*多/ }).count()).toBe(0);
      await shot(page, 'reports-history-more.zh-CN');
    }));
});
