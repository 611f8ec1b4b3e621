/**
 * The administration pages in a browser against a fresh cloud: the first-run setup wizard (site, zone, window,
 * ticket types from templates, a gate with its one-time password and the simulator command), operators, the 403
 * page and menu of a cashier, the roles matrix, the operation log with its chain check, signing keys, and sites
 * and gates — with screenshots of each page in both languages.
 */
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ADMIN,
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
let admin: Awaited<ReturnType<typeof apiAs>>;
/** The cashier's password now (it changes if the console asks for a new one at the first sign-in). */
let cashierPassword: string;

const CASHIER = { username: 'cashier1', displayName: '王小明', password: 'cashier-pass-1' } as const;
const WAIT = { timeout: 15_000 } as const;

/** Two templates in the shape of GET /api/v1/ticket-types/templates, used while that route is not in this cloud. */
const TEMPLATES = [
  {
    key: 'adult',
    name: { 'zh-CN': '成人票', en: 'Adult' },
    description: { 'zh-CN': '18–59 周岁，全价', en: 'Ages 18–59, full price' },
    body: {
      typeId: 1,
      code: 'ADULT',
      name: { zh: '成人票', en: 'Adult' },
      kind: 'single',
      prices: { window: 12000 },
    },
  },
  {
    key: 'count10',
    name: { 'zh-CN': '十次卡', en: '10-entry card' },
    description: { 'zh-CN': '一年内入园 10 次', en: 'Ten entries' },
    body: {
      name: { zh: '十次卡', en: '10-entry card' },
      kind: 'count',
      entries: 10,
      prices: { window: 80000 },
    },
  },
];

/**
 * Serves the templates route from TEMPLATES when the cloud does not have it (GET /ticket-types/templates then falls
 * to /ticket-types/:typeId and is refused).
 */
async function templatesFor(page: Page): Promise<void> {
  const real = await fetch(`${cloud.url}/api/v1/ticket-types/templates`, {
    headers: { authorization: `Bearer ${admin.token}` },
  });
  if (real.ok) return;
  await page.route('**/api/v1/ticket-types/templates', (route) => route.fulfill({ json: TEMPLATES }));
}

/** After a password someone else set, the console may ask for a new one first (mustChangePassword). */
async function passPasswordChange(page: Page, current: string): Promise<string> {
  // Signing in lands on `/` first, which then sends the operator on: wait for where it sends them.
  await page.waitForURL((url) => url.pathname !== '/' && !url.pathname.startsWith('/login'), WAIT);
  if (new URL(page.url()).pathname !== '/password') return current;
  const next = `${current}-own`;
  await page.getByLabel(/当前密码|Current password/).fill(current);
  await page.getByLabel(/^(新密码|New password)$/).fill(next);
  await page.getByLabel(/再次输入新密码|Repeat the new password/).fill(next);
  await page.getByRole('button', { name: /保\s*存|Save/ }).click();
  await page.waitForURL((url) => url.pathname !== '/password', WAIT);
  return next;
}

/** A locator's text (textContent: biome's rule keeps DOM innerText out of the code). */
async function text(locator: Locator): Promise<string> {
  return (await locator.textContent()) ?? '';
}

async function heading(page: Page, name: string | RegExp) {
  await expect.poll(() => page.getByRole('heading', { name }).count(), WAIT).toBeGreaterThan(0);
}

describe.skipIf(!haveChromium)('the administration pages', () => {
  beforeAll(async () => {
    cloud = await startConsoleCloud();
    browser = await launchBrowser();
    admin = await apiAs(cloud.url, ADMIN.username, ADMIN.password);
  }, 90_000);
  afterAll(async () => {
    await browser?.close();
    await cloud?.stop();
  });

  it('takes the administrator of a fresh cloud through the setup wizard to a gate and its simulator command', async () => {
    const page = await openPage(browser, cloud.url);
    await signIn(page, ADMIN.username, ADMIN.password, '/');
    await page.waitForURL(/\/setup$/, WAIT);
    await heading(page, '初始设置');
    await screenshot(page, 'setup.zh-CN');

    // 1. The site, with its time zone defaulting to Asia/Shanghai and both capacities.
    await page.getByLabel('景区编号').fill('park');
    await page.getByLabel('中文名称').fill('西湖景区');
    await page.getByLabel('英文名称').fill('West Lake');
    await page.getByLabel('每日接待上限').fill('5000');
    await page.getByLabel('在园容量').fill('3000');
    await page.getByRole('button', { name: '下一步' }).click();

    // 2. A zone; Next stays disabled until there is one.
    await expect.poll(() => page.getByTestId('setup-next').isDisabled(), WAIT).toBe(true);
    await page.getByLabel('区域编号').fill('main');
    await page.getByLabel('中文名称').fill('主园区');
    await page.getByLabel('英文名称').fill('Main area');
    await page.getByRole('button', { name: '添加区域' }).click();
    await expect.poll(() => page.getByTestId('setup-zones').getByText('主园区').count(), WAIT).toBe(1);
    await screenshot(page, 'setup-zones.zh-CN');
    await page.getByTestId('setup-next').click();

    // 3. A ticket window.
    await page.getByLabel('窗口代码').fill('W01');
    await page.getByLabel('中文名称').fill('1号窗口');
    await page.getByLabel('英文名称').fill('Window 1');
    await page.getByRole('button', { name: '添加窗口' }).click();
    await expect.poll(() => page.getByTestId('setup-windows').getByText('1号窗口').count(), WAIT).toBe(1);

    // 4. Two ticket types from the templates, one at an edited price.
    await templatesFor(page);
    await page.getByTestId('setup-next').click();
    await expect
      .poll(() => page.getByTestId('setup-templates').locator('tbody tr').count(), WAIT)
      .toBeGreaterThan(1);
    const boxes = page.getByTestId('setup-templates').getByRole('checkbox');
    await boxes.nth(0).check();
    await boxes.nth(1).check();
    const firstPrice = page.getByTestId('setup-templates').getByRole('textbox').first();
    await firstPrice.fill('99.5');
    await screenshot(page, 'setup-types.zh-CN');
    await page.getByTestId('create-types').click();
    await expect
      .poll(() => page.getByTestId('setup-types').locator('tbody tr.ant-table-row').count(), WAIT)
      .toBe(2);
    const types =
      await admin.get<{ code: string; prices: Record<string, number> }[]>('/ticket-types?siteId=park');
    expect(types).toHaveLength(2);
    expect(types.some((type) => Object.values(type.prices).includes(9950))).toBe(true);
    await page.getByTestId('setup-next').click();

    // 5. A gate: registered, its credential issued; the password appears once with the simulator command.
    await page.getByLabel('闸机编号').fill('G01');
    await page.getByLabel('中文名称').fill('东门1号闸');
    await page.getByLabel('英文名称').fill('East gate 1');
    await page.getByRole('button', { name: '登记闸机并签发凭证' }).click();
    const passwordText = page.getByTestId('gate-password');
    await passwordText.waitFor(WAIT);
    const password = (await text(passwordText)).trim();
    expect(password.length).toBeGreaterThanOrEqual(16);
    const command = (await text(page.getByTestId('simulator-command'))).trim();
    const mqttPort = new URL(cloud.brokerUrl).port;
    expect(command).toBe(
      `npm run gate-sim -- --site park --gate G01 --direction in --broker mqtt://127.0.0.1:${mqttPort} ` +
        `--username gate@park@G01 --password '${password}'`,
    );
    await expect.poll(() => page.getByRole('button', { name: /复制|Copy/ }).count()).toBeGreaterThan(1);
    await screenshot(page, 'setup-gate.zh-CN');
    const credential = await admin.get<{ version: number; revokedAt: number | null }>(
      '/gates/G01/credentials',
    );
    expect(credential).toMatchObject({ version: 1, revokedAt: null });
    expect(JSON.stringify(credential)).not.toContain(password);

    await page.getByTestId('setup-finish').click();
    await page.getByTestId('setup-dashboard').click();
    await page.waitForURL(/\/dashboard$/, WAIT);

    // Saved everywhere the wizard wrote: site with both capacities, zone, window, gate.
    expect(await admin.get('/sites/park')).toMatchObject({ timezone: 'Asia/Shanghai', dailyCapacity: 5000 });
    const occupancy = await admin.get<{ items: { site: { capacity: number } }[] }>('/occupancy?siteId=park');
    expect(occupancy.items[0]?.site.capacity).toBe(3000);

    // Once there is a site, / goes to the dashboard; the password is never shown again.
    await page.goto('/');
    await page.waitForURL(/\/dashboard$/, WAIT);
    await page.goto('/venues');
    await page.getByRole('tab', { name: '闸机' }).click();
    await expect.poll(() => text(page.getByTestId('credential-G01')), WAIT).toContain('有效（第 1 版）');
    expect(await page.content()).not.toContain(password);
    await screenshot(page, 'venues.zh-CN');

    // Rotating shows a new password once, in a dialog with the command.
    await page
      .getByTestId('credential-G01')
      .getByRole('button', { name: /轮\s*换/ })
      .click();
    await page
      .getByRole('dialog')
      .getByRole('button', { name: /确\s*定/ })
      .click();
    const rotated = page.getByRole('dialog').getByTestId('gate-password');
    await rotated.waitFor(WAIT);
    const newPassword = (await text(rotated)).trim();
    expect(newPassword).not.toBe(password);
    expect(await text(page.getByRole('dialog').getByTestId('simulator-command'))).toContain(
      `'${newPassword}'`,
    );
    await page.locator('.ant-modal-confirm').waitFor({ state: 'detached', ...WAIT });
    await screenshot(page, 'venues-rotate.zh-CN');
    await page.getByRole('button', { name: '我已保存密码' }).click();
    await expect.poll(() => text(page.getByTestId('credential-G01')), WAIT).toContain('有效（第 2 版）');

    // The site dialog changes the in-park capacity through the occupancy API.
    await page
      .getByTestId('venue-sites')
      .getByRole('button', { name: /编\s*辑/ })
      .click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('在园容量').fill('2500');
    await screenshot(page, 'venues-site.zh-CN');
    await dialog.getByRole('button', { name: /保\s*存/ }).click();
    await dialog.waitFor({ state: 'detached', ...WAIT });
    await expect
      .poll(async () => {
        const after = await admin.get<{ items: { site: { capacity: number } }[] }>('/occupancy?siteId=park');
        return after.items[0]?.site.capacity;
      }, WAIT)
      .toBe(2500);
    await page.context().close();
  }, 120_000);

  it('creates a cashier on the Operators page', async () => {
    const page = await openPage(browser, cloud.url);
    await signIn(page, ADMIN.username, ADMIN.password, '/operators');
    await heading(page, '操作员');
    await page.getByRole('button', { name: '新建操作员' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('用户名').fill(CASHIER.username);
    await dialog.getByLabel('姓名').fill(CASHIER.displayName);
    await dialog.getByRole('checkbox', { name: '售票员' }).check();
    await dialog.getByLabel('初始密码').fill('short');
    await expect.poll(() => dialog.getByText('至少 8 个字符', { exact: true }).count(), WAIT).toBe(1);
    await dialog.getByLabel('初始密码').fill(CASHIER.password);
    await dialog.getByLabel('再次输入密码').fill(CASHIER.password);
    await screenshot(page, 'operators-create.zh-CN');
    await dialog.getByRole('button', { name: /保\s*存/ }).click();
    await expect
      .poll(() => page.getByTestId('operators-table').getByText(CASHIER.username).count(), WAIT)
      .toBe(1);
    const found = await admin.get<{ items: { username: string; roles: string[] }[] }>(
      `/operators?q=${CASHIER.username}`,
    );
    expect(found.items).toEqual([
      expect.objectContaining({ username: CASHIER.username, roles: ['cashier'] }),
    ]);
    await screenshot(page, 'operators.zh-CN');
    await page.context().close();
  }, 120_000);

  it('gives the cashier no administration menu and the 403 page for a direct URL', async () => {
    const page = await openPage(browser, cloud.url);
    await signIn(page, CASHIER.username, CASHIER.password, '/');
    cashierPassword = await passPasswordChange(page, CASHIER.password);
    const menu = page.getByTestId('main-menu');
    await menu.waitFor(WAIT);
    await expect.poll(() => text(menu), WAIT).toContain('总览');
    expect(await text(menu)).not.toContain('系统管理');
    for (const path of ['/operators', '/roles', '/audit', '/keys', '/venues', '/setup']) {
      await page.goto(path);
      await page.getByTestId('forbidden').waitFor(WAIT);
    }
    await screenshot(page, 'forbidden.zh-CN');
    await page.context().close();
  }, 120_000);

  it('toggles a permission in the roles matrix and the API reflects it', async () => {
    const page = await openPage(browser, cloud.url);
    await signIn(page, ADMIN.username, ADMIN.password, '/roles');
    await heading(page, '角色与权限');
    const box = page.getByRole('checkbox', { name: '售票员：管理客户与积分' });
    await box.waitFor(WAIT);
    expect(await box.isChecked()).toBe(false);
    await box.check();
    await page.evaluate('window.scrollTo(0, 0)');
    await screenshot(page, 'roles.zh-CN');
    await page.getByTestId('save-cashier').first().click();
    const cashierRole = async () =>
      (await admin.get<{ code: string; permissions: string[] }[]>('/roles')).find(
        (r) => r.code === 'cashier',
      )!;
    await expect.poll(async () => (await cashierRole()).permissions, WAIT).toContain('customers.manage');
    await expect.poll(() => page.getByTestId('save-cashier').first().isDisabled(), WAIT).toBe(true);

    await box.uncheck();
    await page.getByTestId('save-cashier').first().click();
    await expect.poll(async () => (await cashierRole()).permissions, WAIT).not.toContain('customers.manage');
    await page.context().close();
  }, 120_000);

  it('shows the operator creation as a sentence with its diff, and the chain check says OK', async () => {
    const page = await openPage(browser, cloud.url);
    await signIn(page, ADMIN.username, ADMIN.password, '/audit');
    await heading(page, '操作日志');
    const table = page.getByTestId('audit-table');
    const created = table.locator('tr', {
      hasText: `新建操作员 ${CASHIER.displayName} (${CASHIER.username})`,
    });
    await expect.poll(() => created.count(), WAIT).toBe(1);
    expect(await text(created)).toContain('角色：售票员');
    await created.getByRole('button', { name: /详\s*情/ }).click();
    const diff = page.getByTestId('audit-diff');
    await diff.waitFor(WAIT);
    expect(await text(diff)).toContain(CASHIER.username);
    await screenshot(page, 'audit-drawer.zh-CN');
    await page.keyboard.press('Escape');

    // Filtered by a prefix: only operator actions.
    await page.getByTestId('audit-drawer').waitFor({ state: 'hidden', ...WAIT });
    await page.getByLabel('操作类型').fill('operator.');
    // Close the suggestions, which lie over the search button.
    await page.getByLabel('操作类型').press('Escape');
    await page.getByRole('button', { name: /查\s*询/ }).click();
    await expect
      .poll(async () => (await table.locator('tbody tr.ant-table-row').allInnerTexts()).join('\n'), WAIT)
      .not.toContain('新建景区');

    await page.getByTestId('audit-verify').click();
    const result = page.getByTestId('audit-verify-result');
    await result.waitFor(WAIT);
    expect(await text(result)).toContain('日志链完整');
    await screenshot(page, 'audit.zh-CN');
    await page.context().close();
  }, 120_000);

  it('rotates the signing key and asks before retiring one', async () => {
    const page = await openPage(browser, cloud.url);
    await signIn(page, ADMIN.username, ADMIN.password, '/keys');
    await heading(page, '签名密钥');
    for (const reason of ['首次生成', '定期轮换']) {
      await page.getByRole('button', { name: '轮换密钥' }).first().click();
      const dialog = page.getByRole('dialog');
      await dialog.getByLabel('原因').fill(reason);
      await dialog.getByRole('button', { name: '轮换密钥' }).click();
      await dialog.waitFor({ state: 'detached', ...WAIT });
    }
    const rows = page.getByTestId('keys-table').locator('tbody tr.ant-table-row');
    await expect.poll(() => rows.count(), WAIT).toBe(2);
    expect(await text(page.getByTestId('keys-table'))).toContain('签发中');
    expect(await text(page.getByTestId('keys-table'))).toContain('仅验票');
    await page.locator('[data-testid^="retire-"]').click();
    const dialog = page.getByRole('dialog');
    expect(await text(dialog)).toContain('所有闸机将拒绝此密钥签发的门票');
    await dialog.getByLabel('原因').fill('测试停用');
    await dialog.getByRole('button', { name: /停\s*用/ }).click();
    // Replaced less than a minute ago: the cloud refuses, and says why with its code.
    await expect.poll(() => text(dialog.getByTestId('error-alert')), WAIT).toMatch(/\([A-Z_]+\)/);
    await screenshot(page, 'keys-retire.zh-CN');
    await dialog.getByRole('button', { name: /取\s*消/ }).click();
    await screenshot(page, 'keys.zh-CN');
    await page.context().close();
  }, 120_000);

  it('shows every administration page in English too', async () => {
    const page = await openPage(browser, cloud.url, 'en');
    await signIn(page, ADMIN.username, ADMIN.password, '/setup');
    await heading(page, 'First-run setup');
    await expect.poll(() => page.getByText(/continuing its setup/).count(), WAIT).toBe(1);
    await screenshot(page, 'setup.en');
    const pages: [string, string][] = [
      ['/venues', 'Sites and gates'],
      ['/operators', 'Operators'],
      ['/roles', 'Roles and permissions'],
      ['/audit', 'Operation log'],
      ['/keys', 'Signing keys'],
    ];
    for (const [path, title] of pages) {
      await page.goto(path);
      await heading(page, title);
      await page.locator('.ant-table-row').first().waitFor(WAIT);
      if (path === '/venues') {
        await page.getByRole('tab', { name: 'Gates' }).click();
        await expect.poll(() => text(page.getByTestId('credential-G01')), WAIT).toContain('Valid');
      }
      await screenshot(page, `${path.slice(1)}.en`);
    }
    // The menu groups the administration pages.
    const menu = await text(page.getByTestId('main-menu'));
    for (const label of [
      'Administration',
      'Sites and gates',
      'Operators',
      'Roles',
      'Operation log',
      'Signing keys',
    ])
      expect(menu).toContain(label);
    await page.context().close();

    const cashier = await openPage(browser, cloud.url, 'en');
    await signIn(cashier, CASHIER.username, cashierPassword, '/operators');
    await cashier.getByTestId('forbidden').waitFor(WAIT);
    await screenshot(cashier, 'forbidden.en');
    await cashier.context().close();
  }, 120_000);
  it('unlocks a locked operator and resets a password from the Operators page', async () => {
    // Five wrong passwords lock the account (LOGIN_MAX_FAILURES).
    for (let attempt = 0; attempt < 5; attempt++)
      await fetch(`${cloud.url}/api/v1/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: CASHIER.username, password: 'wrong-password' }),
      });
    const page = await openPage(browser, cloud.url);
    await signIn(page, ADMIN.username, ADMIN.password, '/operators');
    const row = page.getByTestId('operators-table').locator('tr', { hasText: CASHIER.username });
    await expect.poll(() => text(row), WAIT).toContain('已锁定');
    await row.getByRole('button', { name: '解锁' }).click();
    await page
      .getByRole('dialog')
      .getByRole('button', { name: /确\s*定|OK/ })
      .click();
    await expect.poll(() => text(row), WAIT).not.toContain('已锁定');
    const [unlocked] = (
      await admin.get<{ items: { lockedUntil: number | null }[] }>(`/operators?q=${CASHIER.username}`)
    ).items;
    expect(unlocked?.lockedUntil).toBeNull();

    await row.getByRole('button', { name: '重置密码' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('新密码').fill('reset-by-admin-1');
    await dialog.getByLabel('再次输入密码').fill('reset-by-admin-1');
    await screenshot(page, 'operators-reset.zh-CN');
    await dialog.getByRole('button', { name: '重置密码' }).click();
    await dialog.waitFor({ state: 'detached', ...WAIT });
    const cashier = await apiAs(cloud.url, CASHIER.username, 'reset-by-admin-1');
    expect(cashier.token).toBeTruthy();
    await page.context().close();
  }, 120_000);
});
