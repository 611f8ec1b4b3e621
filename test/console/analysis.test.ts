/**
 * 决策分析 in Chromium against a real cloud: two years of takings on matching days (Spring Festival 2025 and 2026,
 * written through the takings journal as the tills write them, into the cloud's own SQLite file), the 同比 chart
 * opened on the festival, the basis switched from same date to same holiday day with each figure label checked
 * against the API's answer, the chart saved as a PNG (the download captured and checked), the type mix and the
 * heatmap, and a holiday edited in the calendar moving the base the chart compares with. Screenshots in zh-CN and en.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  addTicketHours,
  type Database,
  issueTicket,
  openDatabase,
  recordTakings,
  type TakingEntry,
} from '@scenic/cloud/testing';
import type { Kysely } from 'kysely';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ADMIN,
  accessibilityViolations,
  apiAs,
  type ConsoleCloud,
  haveChromium,
  launchBrowser,
  named,
  openPage,
  settledScreenshot,
  signIn,
  startConsoleCloud,
} from './harness.js';

const WAIT = { timeout: 20_000 } as const;
const DAY_MS = 86_400_000;
const dayOf = (date: string) => Date.parse(`${date}T00:00:00Z`) / DAY_MS;
const dateOf = (day: number) => new Date(day * DAY_MS).toISOString().slice(0, 10);
// Seeded calendar: Spring Festival 2025 is 28 Jan – 4 Feb, 2026 is 15–23 Feb.
const FESTIVAL = { from: '2026-02-15', to: '2026-02-23' } as const;
const PERIOD = `from=${FESTIVAL.from}&to=${FESTIVAL.to}`;

let cloud: ConsoleCloud;
let browser: Browser;
let dir: string;
let handle: { db: Kysely<Database>; close(): Promise<void> };
let admin: Awaited<ReturnType<typeof apiAs>>;

interface Point {
  period: { from: string };
  base: { from: string; to: string } | null;
  baseBasis: string | null;
  changeBp: number | null;
}
interface Series {
  basis: { label: Record<'zh-CN' | 'en', string> };
  points: Point[];
}

const percent = (bp: number | null) => (bp === null ? '—' : `${bp > 0 ? '+' : ''}${(bp / 100).toFixed(1)}%`);

/** Takings of one day as a till records them: cash, `fen` split over adult and group tickets. */
function takings(date: string, fen: number, n: number, cashierId: string): TakingEntry[] {
  const day = dayOf(date);
  const adult = Math.round(fen * 0.7);
  return [
    {
      source: 'sale',
      sourceId: `analysis-${n}`,
      siteId: 'park',
      at: day * DAY_MS + 2 * 3_600_000,
      day,
      channel: 'window',
      windowId: 'W01',
      cashierId,
      agencyId: null,
      payments: [{ method: 'cash', amountFen: fen }],
      items: [
        {
          typeId: 1,
          tickets: Math.round(adult / 8_000),
          persons: Math.round(adult / 8_000),
          amountFen: adult,
        },
        { typeId: 3, tickets: 1, persons: 20, amountFen: fen - adult },
      ],
    },
  ];
}

async function compareApi(basis: string): Promise<Series> {
  return admin.get<Series>(`/reports/analysis/compare?${PERIOD}&metric=sales&basis=${basis}`);
}

/** The change column of the chart's table, row by row. */
async function changes(page: Page): Promise<string[]> {
  return page.getByTestId('compare-change').allTextContents();
}

async function pickBasis(page: Page, label: RegExp) {
  await page.getByTestId('compare-basis').getByText(label).click();
}

describe.skipIf(!haveChromium)('decision analysis', () => {
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'analysis-'));
    const path = join(dir, 'cloud.db');
    cloud = await startConsoleCloud({ DATABASE_URL: `sqlite:${path}` });
    browser = await launchBrowser();
    admin = await apiAs(cloud.url, ADMIN.username, ADMIN.password);
    await admin.post('/sites', { id: 'park', name: { zh: '湖光公园', en: 'Lakeside Park' } });
    await admin.post('/sites/park/windows', { id: 'W01', name: { zh: '一号窗口', en: 'Window 1' } });
    for (const [typeId, code, zh, en, kind, fen] of [
      [1, 'ADULT', '成人票', 'Adult', 'single', 8_000],
      [3, 'GROUP', '团体票', 'Group', 'group', 5_000],
    ] as const)
      await admin.post('/ticket-types', {
        typeId,
        siteId: 'park',
        code,
        name: { zh, en },
        kind,
        prices: { window: fen },
      });
    const me = await admin.get<{ id: string }>('/auth/me');
    handle = openDatabase({ dialect: 'sqlite', path, synchronous: 'NORMAL', busyTimeoutMs: 10_000 });
    // Each festival day sells more than a plain day; this year's a little more than last year's, day by day.
    const entries: TakingEntry[] = [];
    let n = 0;
    const sell = (date: string, fen: number) => entries.push(...takings(date, fen, n++, me.id));
    for (let i = 0; i < 8; i++) sell(dateOf(dayOf('2025-01-28') + i), 400_000 + i * 30_000);
    for (let i = 0; i < 9; i++) sell(dateOf(dayOf('2026-02-15') + i), 460_000 + i * 25_000);
    // Plain days around them, and the days 52 weeks before the festival (what same date and same weekday meet).
    for (let d = dayOf('2025-02-05'); d <= dayOf('2025-02-28'); d++)
      sell(dateOf(d), 90_000 + (d % 5) * 8_000);
    for (let d = dayOf('2026-02-01'); d <= dayOf('2026-02-14'); d++)
      sell(dateOf(d), 95_000 + (d % 5) * 8_000);
    await recordTakings(handle.db, entries);
    // Entries through the gates over the festival week: mornings busy, a peak at 10:00 on the first days.
    const ticket = await issueTicket(handle.db, { typeId: 1 });
    const hours = [];
    for (let i = 0; i < 9; i++)
      for (const [hour, persons] of [
        [8, 40],
        [9, 120],
        [10, 260 - i * 15],
        [11, 180],
        [13, 90],
        [15, 60],
        [17, 15],
      ] as const)
        hours.push({
          site_id: 'park',
          day: dayOf('2026-02-15') + i,
          hour,
          ticket_id: ticket,
          entries: persons,
          persons,
        });
    await addTicketHours(handle.db, hours);
  });

  afterAll(async () => {
    await browser?.close();
    await handle?.close();
    await cloud?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('the 同比 chart on the festival: bases switched, labels as the API says, saved as a PNG', async () => {
    const page = await openPage(browser, cloud.url, 'zh-CN');
    await signIn(page, ADMIN.username, ADMIN.password, `/analysis?${PERIOD}`);
    await page.getByTestId('compare-chart').waitFor(WAIT);
    const sameDate = await compareApi('same_date');
    await expect
      .poll(() => page.getByTestId('compare-basis-label').textContent(), WAIT)
      .toContain(sameDate.basis.label['zh-CN']);
    expect(await changes(page)).toEqual(sameDate.points.map((p) => percent(p.changeBp)));

    await pickBasis(page, /节假日同一天/);
    const holiday = await compareApi('same_holiday_day');
    await expect
      .poll(() => page.getByTestId('compare-basis-label').textContent(), WAIT)
      .toContain(holiday.basis.label['zh-CN']);
    await expect.poll(() => changes(page), WAIT).toEqual(holiday.points.map((p) => percent(p.changeBp)));
    // Day 3 against last year's day 3; day 9 (last year's break had 8) on the same weekday, marked as such.
    expect(holiday.points[2]!.base).toEqual({ from: '2025-01-30', to: '2025-01-30' });
    expect(holiday.points.map((p) => p.baseBasis)).toEqual([
      ...Array(8).fill('same_holiday_day'),
      'same_weekday',
    ]);
    expect(await page.getByTestId('compare-fallback').allTextContents()).toEqual(['同星期']);
    await expect(page.getByTestId('compare-table').getByText('2025-01-30').count()).resolves.toBe(1);
    // The chart names the basis it shows (the aria description carries the title the picture has).
    expect(await page.getByTestId('compare-chart').getAttribute('aria-label')).toContain(
      holiday.basis.label['zh-CN'],
    );
    await settledScreenshot(page, 'analysis-compare-zh-CN');
    expect(await accessibilityViolations(page, ['critical', 'serious'])).toEqual([]);

    const download = page.waitForEvent('download');
    await page.getByTestId('compare-png').click();
    const file = await download;
    expect(file.suggestedFilename()).toMatch(/\.png$/);
    const bytes = readFileSync((await file.path())!);
    expect([...bytes.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    expect(bytes.length).toBeGreaterThan(20_000);

    await page.getByTestId('compare-granularity').getByText('按节假日').click();
    await page.getByTestId('compare-chart').waitFor(WAIT);
    await expect.poll(() => changes(page), WAIT).toHaveLength(1);
    await settledScreenshot(page, 'analysis-compare-holiday-zh-CN');

    await page.getByRole('tab', { name: '票型分析' }).click();
    await page.getByTestId('mix-chart').waitFor(WAIT);
    await settledScreenshot(page, 'analysis-mix-zh-CN');
    await page.getByRole('tab', { name: '入园时段' }).click();
    await page.getByTestId('heatmap-chart').waitFor(WAIT);
    await settledScreenshot(page, 'analysis-heatmap-zh-CN');
    await page.context().close();
  });

  it('editing last year’s Spring Festival moves the base of day 3', async () => {
    const page = await openPage(browser, cloud.url, 'zh-CN');
    await signIn(page, ADMIN.username, ADMIN.password, '/holidays');
    await page.getByTestId('holidays-year').click();
    await page.getByTitle('2025', { exact: true }).click();
    await page.getByTestId('holiday-dates-spring_festival-holiday').waitFor(WAIT);
    expect(await page.getByTestId('holiday-dates-spring_festival-holiday').textContent()).toBe(
      '2025-01-28 ~ 2025-02-04',
    );
    await settledScreenshot(page, 'analysis-holidays-zh-CN');
    await page.getByTestId('holiday-edit-spring_festival-holiday').click();
    const dates = page.getByTestId('holiday-form').locator('.ant-picker-range input');
    await dates.first().click();
    await dates.first().fill('2025-01-29');
    await dates.first().press('Enter');
    await dates.nth(1).fill('2025-02-04');
    await dates.nth(1).press('Enter');
    await settledScreenshot(page, 'analysis-holiday-edit-zh-CN');
    await page.getByRole('button', { name: named('保存') }).click();
    await expect
      .poll(() => page.getByTestId('holiday-dates-spring_festival-holiday').textContent(), WAIT)
      .toBe('2025-01-29 ~ 2025-02-04');

    const moved = await compareApi('same_holiday_day');
    expect(moved.points[2]!.base).toEqual({ from: '2025-01-31', to: '2025-01-31' });
    await page.goto(`/analysis?${PERIOD}&basis=same_holiday_day`);
    await page.getByTestId('compare-chart').waitFor(WAIT);
    await expect.poll(() => changes(page), WAIT).toEqual(moved.points.map((p) => percent(p.changeBp)));
    await expect(page.getByTestId('compare-table').getByText('2025-01-31').count()).resolves.toBe(1);
    await page.context().close();
  });

  it('in English: the same pages, labelled in English', async () => {
    const page = await openPage(browser, cloud.url, 'en');
    await signIn(page, ADMIN.username, ADMIN.password, `/analysis?${PERIOD}&basis=same_holiday_day`);
    await page.getByTestId('compare-chart').waitFor(WAIT);
    const series = await compareApi('same_holiday_day');
    await expect
      .poll(() => page.getByTestId('compare-basis-label').textContent(), WAIT)
      .toContain(series.basis.label.en);
    await settledScreenshot(page, 'analysis-compare-en');
    await page.getByTestId('compare-granularity').getByText('Month').click();
    await expect.poll(() => changes(page), WAIT).toHaveLength(1);
    await settledScreenshot(page, 'analysis-compare-month-en');
    await page.getByRole('tab', { name: 'Ticket type mix' }).click();
    await page.getByTestId('mix-chart').waitFor(WAIT);
    await settledScreenshot(page, 'analysis-mix-en');
    await page.getByRole('tab', { name: 'Entry hours' }).click();
    await page.getByTestId('heatmap-chart').waitFor(WAIT);
    await settledScreenshot(page, 'analysis-heatmap-en');
    await page.goto('/holidays');
    await page.getByTestId('holidays-table').waitFor(WAIT);
    await settledScreenshot(page, 'analysis-holidays-en');
    // A period with nothing sold and no holiday: said plainly, not an empty frame.
    await page.goto('/analysis?from=2026-07-06&to=2026-07-12&by=holiday');
    await page.getByTestId('compare-empty').waitFor(WAIT);
    expect(await page.getByTestId('compare-empty').textContent()).toContain('No holidays');
    await settledScreenshot(page, 'analysis-compare-empty-en');
    await page.goto('/analysis?from=2026-07-06&to=2026-07-12&tab=heatmap');
    await page.getByTestId('heatmap-empty').waitFor(WAIT);
    await settledScreenshot(page, 'analysis-heatmap-empty-en');
    await page.context().close();
  });
});
