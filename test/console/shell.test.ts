import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ADMIN,
  accessibilityViolations,
  apiAs,
  type ConsoleCloud,
  haveChromium,
  launchBrowser,
  openPage,
  screenshot,
  signIn,
  startConsoleCloud,
} from './harness.js';

let cloud: ConsoleCloud;
let browser: Browser;

describe.skipIf(!haveChromium)('the console shell', () => {
  beforeAll(async () => {
    cloud = await startConsoleCloud();
    browser = await launchBrowser();
    // With a site in place `/` opens the dashboard (a fresh cloud sends the administrator to the setup wizard).
    const admin = await apiAs(cloud.url, ADMIN.username, ADMIN.password);
    await admin.post('/sites', { id: 'park', name: { zh: '景区', en: 'Park' } });
  }, 90_000);
  afterAll(async () => {
    await browser?.close();
    await cloud?.stop();
  });

  it('is served at / with history fallback, while the API keeps its JSON 404s', async () => {
    const page = await fetch(`${cloud.url}/control/gates?site=park`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/text\/html/);
    expect(page.headers.get('cache-control')).toBe('no-cache');
    expect(await page.text()).toContain('<div id="root">');
    const api = await fetch(`${cloud.url}/api/v1/nowhere`);
    expect(api.status).toBe(404);
    expect(((await api.json()) as { error: { code: string } }).error.code).toBe('ROUTE_NOT_FOUND');
    const asset = await fetch(`${cloud.url}/assets/missing.js`);
    expect(asset.status).toBe(404);
    const post = await fetch(`${cloud.url}/window`, { method: 'POST' });
    expect(post.status).toBe(404);
    expect((await fetch(`${cloud.url}/healthz`)).headers.get('content-type')).toMatch(/json/);
  });

  it('signs in, shows the API error with its code for a wrong password, and switches language', async () => {
    const page = await openPage(browser, cloud.url);
    await page.goto('/');
    await page.waitForURL(/\/login\?next=/);
    await screenshot(page, 'sign-in.zh-CN');
    expect(await accessibilityViolations(page, ['critical', 'serious'])).toEqual([]);
    await page.getByLabel('用户名').fill(ADMIN.username);
    await page.getByLabel(/^密码$/).fill('wrong-password-1');
    await page.getByRole('button', { name: /登\s*录/ }).click();
    await expect.poll(() => page.getByTestId('error-alert').textContent()).toContain('INVALID_CREDENTIALS');
    await page.getByTestId('language-switch').click();
    await expect.poll(() => page.getByRole('button', { name: 'Sign in' }).count()).toBe(1);
    await screenshot(page, 'sign-in.en');
    await page.getByLabel('Password', { exact: true }).fill(ADMIN.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(/\/dashboard$/);
    await expect
      .poll(() => page.getByRole('heading', { name: 'Dashboard' }).count(), { timeout: 10_000 })
      .toBe(1);
    // The choice is kept on this terminal.
    await page.reload();
    await expect
      .poll(() => page.getByRole('heading', { name: 'Dashboard' }).count(), { timeout: 10_000 })
      .toBe(1);
    await screenshot(page, 'dashboard.en');
    await page.getByTestId('language-switch').click();
    await expect.poll(() => page.getByRole('heading', { name: '总览' }).count()).toBe(1);
    await screenshot(page, 'dashboard.zh-CN');
    expect(await accessibilityViolations(page)).toEqual([]);
    await page.context().close();
  });

  it('returns to sign-in when the session ends, then back to the page the operator was on', async () => {
    const page = await openPage(browser, cloud.url);
    await signIn(page, ADMIN.username, ADMIN.password, '/dashboard');
    await page.goto('/no-such-page');
    await expect.poll(() => page.getByText('页面不存在').count()).toBeGreaterThan(0);
    await page.goto('/dashboard');
    // The session ends elsewhere (signed out on the server): the next call answers 401.
    const token = (await page.context().cookies()).find((cookie) => cookie.httpOnly)?.value;
    expect(token).toBeTruthy();
    await fetch(`${cloud.url}/api/v1/auth/logout`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}` },
    });
    await page.waitForURL(/\/login\?next=%2Fdashboard/, { timeout: 15_000 });
    await signIn(page, ADMIN.username, ADMIN.password, page.url());
    expect(new URL(page.url()).pathname).toBe('/dashboard');
    await page.context().close();
  });

  it('makes an operator whose password an administrator set change it before anything else', async () => {
    const admin = await apiAs(cloud.url, ADMIN.username, ADMIN.password);
    await admin.post('/operators', {
      username: 'zhao',
      displayName: '赵',
      roles: ['control_room'],
      password: 'set-by-admin-1',
    });
    const page = await openPage(browser, cloud.url);
    await signIn(page, 'zhao', 'set-by-admin-1', '/dashboard');
    await page.waitForURL(/\/password$/);
    await expect.poll(() => page.getByText('首次登录请修改密码后继续').count(), { timeout: 10_000 }).toBe(1);
    await screenshot(page, 'password-change.zh-CN');
    // Another page by URL still leads back here until the password is changed.
    await page.goto('/dashboard');
    await page.waitForURL(/\/password$/);
    await page.getByLabel('当前密码').fill('set-by-admin-1');
    await page.getByLabel('新密码', { exact: true }).fill('chosen-by-zhao-1');
    await page.getByLabel('再次输入新密码').fill('chosen-by-zhao-1');
    await page.getByRole('button', { name: /保\s*存/ }).click();
    // Then to where the control room works.
    await page.waitForURL(/\/gates$/);
    const zhao = await apiAs(cloud.url, 'zhao', 'chosen-by-zhao-1');
    expect(await zhao.get('/gates/status')).toMatchObject({ items: [] });
    await page.context().close();
  }, 120_000);

  it('signs out from the operator menu', async () => {
    const page = await openPage(browser, cloud.url);
    await signIn(page, ADMIN.username, ADMIN.password);
    await page.getByTestId('user-menu').hover();
    await page.getByText('退出登录').click();
    await page.waitForURL(/\/login/);
    const admin = await apiAs(cloud.url, ADMIN.username, ADMIN.password);
    expect(admin.token).toBeTruthy();
    await page.goto('/dashboard');
    await page.waitForURL(/\/login\?next=/);
    await page.context().close();
  });
});
