/**
 * bench:console — the production build of the console, served by a real cloud process, loaded in Debian's Chromium:
 * - initial_js_gzip_kb: every script the browser loads to show sign-in and then the shell (menu, header, the
 *   smallest page: change password), gzip-compressed at level 9 as a server would send it (goal ≤ 400); and
 *   dashboard_js_gzip_kb, what opening the dashboard loads on top of that;
 * - window_tti_ms_p50: time from navigation start to a usable ticket window (types listed, the type list holding the
 *   keyboard), over 5 cold loads — a fresh browser context each, so nothing is cached (goal ≤ 1,000 ms on this
 *   machine). Taken by the page's own clock (performance.now() is measured from the navigation's start) at the
 *   moment the type list receives the focus: from then on the cashier's keys go to the till. Printed beside it,
 *   window_goto_ms_p50: the harness's wall time from its goto() call until it saw the focus, which adds the
 *   browser starting a renderer process for the new context and the harness's own polling;
 * - sale_to_pdf_ms_p50: from the cashier's confirm key to the tickets PDF received in full, over 5 sales (goal
 *   ≤ 500 ms).
 * Prints one line per figure, then `RESULT …`.
 */
import { loadavg } from 'node:os';
import { gzipSync } from 'node:zlib';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import {
  ADMIN,
  apiAs,
  type ConsoleCloud,
  createOperator,
  launchBrowser,
  openPage,
  signIn,
  startConsoleCloud,
} from '../../../test/console/harness.js';
import { buildConsole, consoleIsStale } from '../scripts/build.js';

/** Scripts the page loads from now on: URL → gzip size of the body. */
function recordScripts(page: Page): Map<string, Promise<number>> {
  const scripts = new Map<string, Promise<number>>();
  page.on('response', (response) => {
    // By address, not resource type: chunks fetched through <link rel="modulepreload"> are not typed as scripts.
    if (!/\.m?js(\?|$)/.test(new URL(response.url()).pathname) || scripts.has(response.url())) return;
    // Fetched again from here: the page may navigate away before its response bodies can be read.
    scripts.set(
      response.url(),
      fetch(response.url())
        .then((answer) => answer.arrayBuffer())
        .then((body) => gzipSync(Buffer.from(body), { level: 9 }).length),
    );
  });
  return scripts;
}

async function sumKb(sizes: Iterable<Promise<number>>): Promise<number> {
  return (await Promise.all(sizes)).reduce((sum, size) => sum + size, 0) / 1024;
}

async function initialJavaScript(browser: Browser, cloud: ConsoleCloud) {
  const page = await openPage(browser, cloud.url);
  const scripts = recordScripts(page);
  await page.goto('/login');
  await page.waitForLoadState('networkidle');
  await signIn(page, ADMIN.username, ADMIN.password, '/login?next=%2Fpassword');
  await page.waitForURL(/\/password$/);
  await page.getByLabel('当前密码').waitFor();
  await page.getByTestId('main-menu').waitFor();
  await page.waitForTimeout(1_000);
  const shell = new Map(scripts);
  await page.getByTestId('main-menu').getByText('总览').click();
  await page.waitForURL(/\/dashboard$/);
  // The page is drawn (a load state is reached once per document: waiting for 'networkidle' again returns at once).
  await page.getByTestId('gates-online').waitFor();
  await page.waitForTimeout(1_000);
  const dashboard = [...scripts].filter(([url]) => !shell.has(url)).map(([, size]) => size);
  await page.context().close();
  return { kb: await sumKb(shell.values()), files: shell.size, dashboardKb: await sumKb(dashboard) };
}

const CASHIER = { username: 'bench-cashier', password: 'bench-cashier-pass' } as const;
const RUNS = 5;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

/** A site with one window and an adult ticket, and a cashier whose terminal has chosen that window. */
async function prepareTill(
  browser: Browser,
  cloud: ConsoleCloud,
): Promise<Awaited<ReturnType<BrowserContext['storageState']>>> {
  const admin = await apiAs(cloud.url, ADMIN.username, ADMIN.password);
  await admin.post('/sites', {
    id: 'park',
    name: { zh: '翠湖公园', en: 'Green Lake Park' },
    timezone: 'Asia/Shanghai',
    dailyCapacity: 100_000,
  });
  await admin.post('/sites/park/windows', { id: 'W01', name: { zh: '一号窗口', en: 'Window 1' } });
  await admin.post('/ticket-types', {
    typeId: 101,
    siteId: 'park',
    code: 'ADULT',
    name: { zh: '成人票', en: 'Adult' },
    kind: 'single',
    prices: { window: 8_000 },
  });
  await createOperator(cloud.url, { ...CASHIER, roles: ['cashier'] });
  const page = await openPage(browser, cloud.url);
  await signIn(page, CASHIER.username, CASHIER.password, '/window');
  await page.getByTestId('window-setup').waitFor();
  await page.getByTestId('setup-save').click();
  await tillReady(page);
  const state = await page.context().storageState();
  await page.context().close();
  return state;
}

/** The till has the keyboard: the type list is shown and focused. */
async function tillReady(page: Page): Promise<void> {
  // Strings, not functions: this file is compiled without the DOM's types.
  await page.waitForFunction("document.activeElement?.id === 'window-type-list'", undefined, {
    timeout: 30_000,
    polling: 'raf',
  });
}

/** Navigation to a usable ticket window, in a fresh context each time (signed in, nothing cached). */
async function windowLoads(
  browser: Browser,
  cloud: ConsoleCloud,
  state: Parameters<Browser['newContext']>[0],
) {
  const tti: number[] = [];
  const goto: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    const context = await browser.newContext({
      ...state,
      baseURL: cloud.url,
      viewport: { width: 1366, height: 860 },
    });
    // The page notes, by its own clock, when the type list first takes the keyboard.
    await context.addInitScript(`document.addEventListener('focusin', (event) => {
      if (event.target.id === 'window-type-list' && window.__tillReadyAt === undefined)
        window.__tillReadyAt = performance.now();
    }, true);`);
    const page = await context.newPage();
    const started = performance.now();
    await page.goto('/window');
    await tillReady(page);
    goto.push(performance.now() - started);
    tti.push((await page.evaluate('window.__tillReadyAt')) as number);
    await context.close();
  }
  return { tti, goto };
}

/** From the confirm key to the tickets PDF received in full, for one ticket paid in cash, RUNS times. */
async function salesToPdf(
  browser: Browser,
  cloud: ConsoleCloud,
  state: Parameters<Browser['newContext']>[0],
) {
  const context = await browser.newContext({
    ...state,
    baseURL: cloud.url,
    viewport: { width: 1366, height: 860 },
  });
  const page = await context.newPage();
  await page.goto('/window');
  await tillReady(page);
  const times: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    await page.keyboard.type('1');
    await page.keyboard.press('Enter');
    await page.getByTestId('payment').waitFor();
    await page.keyboard.press('F6');
    await page.waitForFunction(`document.querySelector('[data-testid="pay-cash"]')?.value === '80.00'`);
    const started = performance.now();
    await page.keyboard.press('Enter');
    await page.getByTestId('receipt').waitFor({ timeout: 30_000 });
    const href = await page.getByTestId('print-tickets').getAttribute('href');
    const pdf = await page.request.get(href!);
    const body = await pdf.body();
    times.push(performance.now() - started);
    if (body.subarray(0, 5).toString() !== '%PDF-') throw new Error(`not a PDF: ${pdf.status()}`);
    await page.keyboard.press('n');
    await tillReady(page);
  }
  await context.close();
  return times;
}

async function main(): Promise<void> {
  if (consoleIsStale() && !buildConsole()) throw new Error('the console build failed');
  const cloud = await startConsoleCloud();
  const browser = await launchBrowser();
  try {
    const js = await initialJavaScript(browser, cloud);
    console.log(
      `initial JavaScript (sign-in + shell): ${js.kb.toFixed(1)} KB gzip in ${js.files} files (goal ≤ 400)`,
    );
    console.log(`the dashboard adds: ${js.dashboardKb.toFixed(1)} KB gzip`);
    const state = await prepareTill(browser, cloud);
    const loads = await windowLoads(browser, cloud, { storageState: state });
    console.log(
      `ticket window interactive from navigation start (cold loads): ${loads.tti.map((ms) => ms.toFixed(0)).join(', ')} ms`,
    );
    console.log(
      `the same loads from the harness's goto() call: ${loads.goto.map((ms) => ms.toFixed(0)).join(', ')} ms`,
    );
    const sales = await salesToPdf(browser, cloud, { storageState: state });
    console.log(`confirm key → tickets PDF: ${sales.map((ms) => ms.toFixed(0)).join(', ')} ms`);
    console.log(
      `\nRESULT initial_js_gzip_kb=${js.kb.toFixed(1)} js_files=${js.files} dashboard_js_gzip_kb=${js.dashboardKb.toFixed(1)} ` +
        `window_tti_ms_p50=${median(loads.tti).toFixed(0)} window_goto_ms_p50=${median(loads.goto).toFixed(0)} sale_to_pdf_ms_p50=${median(sales).toFixed(0)} runs=${RUNS} ` +
        `node=${process.version} load1=${loadavg()[0]!.toFixed(2)}`,
    );
  } finally {
    await browser.close();
    await cloud.stop();
  }
}

await main();
