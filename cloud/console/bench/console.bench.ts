/**
 * bench:console — the production build of the console, served by a real cloud process, loaded in Debian's Chromium:
 * - initial_js_gzip_kb: every script the browser loads to show sign-in and then the shell (menu, header, the
 *   smallest page: change password), gzip-compressed at level 9 as a server would send it (goal ≤ 400); and
 *   dashboard_js_gzip_kb, what opening the dashboard loads on top of that;
 * - window_tti_ms_p50: time from navigation to a usable ticket window (types listed, quantity input focused), over
 *   5 cold loads — a fresh browser context each, so nothing is cached (goal ≤ 1,000 ms on this machine);
 * - sale_to_pdf_ms_p50: from the cashier's confirm key to the tickets PDF received in full, over 5 sales (goal
 *   ≤ 500 ms).
 * Prints one line per figure, then `RESULT …`.
 */
import { loadavg } from 'node:os';
import { gzipSync } from 'node:zlib';
import type { Browser, Page } from 'playwright-core';
import {
  ADMIN,
  type ConsoleCloud,
  launchBrowser,
  openPage,
  signIn,
  startConsoleCloud,
} from '../../../test/console/harness.js';
import { buildConsole, consoleIsStale } from '../scripts/build.js';

function _median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

/** Scripts the page loads from now on: URL → gzip size of the body. */
function recordScripts(page: Page): Map<string, Promise<number>> {
  const scripts = new Map<string, Promise<number>>();
  page.on('response', (response) => {
    if (response.request().resourceType() !== 'script' || scripts.has(response.url())) return;
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
  await page.waitForLoadState('networkidle');
  const shell = new Map(scripts);
  await page.getByTestId('main-menu').getByText('总览').click();
  await page.waitForURL(/\/dashboard$/);
  await page.waitForLoadState('networkidle');
  const dashboard = [...scripts].filter(([url]) => !shell.has(url)).map(([, size]) => size);
  await page.context().close();
  return { kb: await sumKb(shell.values()), files: shell.size, dashboardKb: await sumKb(dashboard) };
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
    console.log(
      `\nRESULT initial_js_gzip_kb=${js.kb.toFixed(1)} js_files=${js.files} dashboard_js_gzip_kb=${js.dashboardKb.toFixed(1)} node=${process.version} load1=${loadavg()[0]!.toFixed(2)}`,
    );
  } finally {
    await browser.close();
    await cloud.stop();
  }
}

await main();
