/**
 * What the console's browser tests share: a real cloud process serving the built console (its own SQLite file and
 * embedded broker on free ports), Debian's Chromium driven by playwright-core, sign-in, an API client for seeding,
 * and screenshots in both languages written to the git-ignored .tmp/screenshots/ for a person to look at.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type CloudChild, spawnCloud } from '@scenic/testkit/cloud-process';
import { freePort } from '@scenic/testkit/free-port';
import { isCi } from '@scenic/testkit/services';
import { type Browser, chromium, type Page } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';
export const haveChromium = existsSync(CHROMIUM);
if (!haveChromium) {
  if (isCi()) throw new Error(`${CHROMIUM} is missing: CI must run the console's browser tests`);
  console.log(`SKIPPED: console browser tests (${CHROMIUM} missing; apt-get install chromium)`);
}

export const ADMIN = { username: 'admin', password: 'console-admin-pass' } as const;
export const SCREENSHOTS = fileURLToPath(new URL('../../.tmp/screenshots/', import.meta.url));

export interface ConsoleCloud {
  readonly url: string;
  readonly brokerUrl: string;
  readonly cloud: CloudChild;
  stop(): Promise<void>;
}

/** A cloud with the built console (test/console/global-setup.ts builds it), a fresh SQLite file, a known admin. */
export async function startConsoleCloud(env: Record<string, string> = {}): Promise<ConsoleCloud> {
  const dir = mkdtempSync(join(tmpdir(), 'console-cloud-'));
  const mqttPort = await freePort();
  const cloud = await spawnCloud({
    env: {
      MQTT_PORT: String(mqttPort),
      DATABASE_URL: `sqlite:${join(dir, 'cloud.db')}`,
      AUDIT_ANCHOR_FILE: 'off',
      ADMIN_USERNAME: ADMIN.username,
      ADMIN_PASSWORD: ADMIN.password,
      LOGIN_RATE_LIMIT_PER_MINUTE: '10000',
      CREDENTIAL_SECRET: randomBytes(32).toString('base64'),
      ...env,
    },
  });
  return {
    url: cloud.url,
    brokerUrl: `mqtt://127.0.0.1:${mqttPort}`,
    cloud,
    stop: async () => {
      await cloud.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** A new page in its own context (own cookies), in the language given, failing the test on any page error. */
export async function openPage(
  browser: Browser,
  baseURL: string,
  language: 'zh-CN' | 'en' = 'zh-CN',
): Promise<Page> {
  const context = await browser.newContext({
    baseURL,
    viewport: { width: 1366, height: 860 },
    locale: language,
    // The console honours it (no drawer or message animations): screenshots need not wait for motion to settle.
    reducedMotion: 'reduce',
  });
  // The console's own language setting (a string: this file is compiled without the DOM's types).
  await context.addInitScript({
    content: `if (!localStorage.getItem('console.language')) localStorage.setItem('console.language', ${JSON.stringify(language)});`,
  });
  const page = await context.newPage();
  page.on('pageerror', (error) => {
    throw new Error(`page error: ${error.message}`);
  });
  return page;
}

export async function signIn(page: Page, username: string, password: string, path = '/'): Promise<void> {
  await page.goto(path);
  await page.getByLabel(/用户名|Username/).fill(username);
  await page.getByLabel(/^(密码|Password)$/).fill(password);
  await page.getByRole('button', { name: /登\s*录|Sign in/ }).click();
  await page.waitForURL((url) => !url.pathname.startsWith('/login'));
}

export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const path = join(SCREENSHOTS, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}

/**
 * A screenshot once the page's frame is there (the main menu) and every drawer, modal and message has finished
 * moving in or out. The picture is for a person to look at, not an assertion: on a machine so loaded that a
 * transition never reports its end, it is taken after the wait anyway, with a line saying so.
 */
export async function settledScreenshot(page: Page, name: string): Promise<string> {
  const wait = { timeout: 15_000 } as const;
  await page
    .getByTestId('main-menu')
    .first()
    .waitFor(wait)
    .catch(() => console.log(`screenshot ${name}: taken before the menu appeared`));
  const moving = page.locator(
    ['motion-', 'ant-zoom-', 'ant-move-up-', 'ant-fade-']
      .map((part) => `[class*="${part}"][class*="-active"]`)
      .join(', '),
  );
  const deadline = Date.now() + wait.timeout;
  while ((await moving.count()) > 0) {
    if (Date.now() > deadline) {
      console.log(`screenshot ${name}: taken while an animation was still running`);
      break;
    }
    await page.waitForTimeout(50);
  }
  return screenshot(page, name);
}

/** A button's accessible name: Ant Design spaces out two Chinese characters ("保 存" for 保存). */
export function named(text: string): RegExp {
  return new RegExp(`^${[...text].join('\\s*')}$`);
}

/** The text of the first element with the test id ('' when it has none). */
export async function textOf(page: Page, testId: string): Promise<string> {
  return (await page.getByTestId(testId).first().textContent()) ?? '';
}

/** The API as an operator (Bearer token), for seeding what a test needs before the browser takes over. */
export async function apiAs(url: string, username: string, password: string) {
  const login = await fetch(`${url}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  if (!login.ok) throw new Error(`sign-in as ${username} failed: ${login.status} ${await login.text()}`);
  const { token } = (await login.json()) as { token: string };
  const call = async <T = unknown>(
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ) => {
    const response = await fetch(`${url}/api/v1${path}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...headers,
      },
      body: body === undefined ? null : JSON.stringify(body),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`${method} ${path} → ${response.status} ${text}`);
    return (text ? JSON.parse(text) : undefined) as T;
  };
  return {
    token,
    get: <T = unknown>(path: string) => call<T>('GET', path),
    post: <T = unknown>(path: string, body?: unknown, headers?: Record<string, string>) =>
      call<T>('POST', path, body ?? {}, headers),
    patch: <T = unknown>(path: string, body: unknown) => call<T>('PATCH', path, body),
    put: <T = unknown>(path: string, body: unknown) => call<T>('PUT', path, body),
  };
}

export interface AxeViolation {
  readonly id: string;
  readonly impact: string | null;
  readonly help: string;
  readonly nodes: { target: string[] }[];
}

const AXE_SOURCE = fileURLToPath(new URL('../../node_modules/axe-core/axe.min.js', import.meta.url));

/**
 * axe-core run inside the page as it is now: the violations of the given impacts (critical by default), each with
 * the elements it found, so a failing assertion names what to fix.
 */
export async function accessibilityViolations(
  page: Page,
  impacts: readonly string[] = ['critical'],
): Promise<AxeViolation[]> {
  await page.addScriptTag({ path: AXE_SOURCE });
  const violations = await page.evaluate(async () => {
    const axe = (
      globalThis as unknown as { axe: { run: (context?: unknown) => Promise<{ violations: unknown[] }> } }
    ).axe;
    return (await axe.run()).violations as AxeViolation[];
  });
  return violations
    .filter((violation) => violation.impact !== null && impacts.includes(violation.impact))
    .map(({ id, impact, help, nodes }) => ({
      id,
      impact,
      help,
      nodes: nodes.map(({ target }) => ({ target })),
    }));
}

/**
 * An operator with the given roles, ready to sign in with `password`: an operator an administrator creates must
 * change the password at the first sign-in, so this creates them with a temporary one and changes it as them.
 */
export async function createOperator(
  url: string,
  input: { username: string; displayName?: string; roles: string[]; password: string },
): Promise<{ id: string }> {
  const admin = await apiAs(url, ADMIN.username, ADMIN.password);
  const temporary = `${input.password}-initial`;
  const created = await admin.post<{ id: string }>('/operators', {
    username: input.username,
    displayName: input.displayName ?? input.username,
    roles: input.roles,
    password: temporary,
  });
  const self = await apiAs(url, input.username, temporary);
  await self.post('/auth/password', { currentPassword: temporary, newPassword: input.password });
  return created;
}
