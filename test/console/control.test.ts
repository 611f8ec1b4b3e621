/**
 * The control room pages in Chromium against a real cloud with a real simulated gate (the agent's own command line
 * on virtual devices, test/e2e/gate-agent-process.ts) on the cloud's embedded broker: a control room operator sees
 * the gate come online in the grid; sends an emergency open to its zone through the typed confirmation and watches
 * the gate's `ok` arrive (and the never-connected second gate time out); a ticket scanned at the gate appears in the
 * live passage feed while occupancy moves, passes its capacity and raises the banner and the alarm tone; a stopped
 * gate turns offline; the communication log shows the gate's messages. Screenshots of each page in both languages.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GateAgentProcess } from '../e2e/gate-agent-process.js';
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

const OPERATOR = { username: 'kong', password: 'control-room-7' } as const;
const WAIT = { timeout: 15_000 } as const;

let cloud: ConsoleCloud;
let browser: Browser;
let admin: Awaited<ReturnType<typeof apiAs>>;
let gate: GateAgentProcess | undefined;
let qrText: string;

/** Counts the tones the console starts (a stand-in wrapped around the page's AudioContext). */
const COUNT_TONES = `(() => {
  window.__tones = 0;
  const Real = window.AudioContext;
  if (!Real) return;
  window.AudioContext = class extends Real {
    createOscillator() { window.__tones += 1; return super.createOscillator(); }
  };
})();`;

async function tones(page: Page): Promise<number> {
  return page.evaluate('window.__tones');
}

async function chooseOption(page: Page, testId: string, text: string): Promise<void> {
  await page.getByTestId(testId).click();
  await page
    .locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: text })
    .first()
    .click();
}

function tile(page: Page, gateId: string) {
  return page.getByTestId(`gate-${gateId}`);
}

async function liveness(page: Page, gateId: string): Promise<string | null> {
  return (await tile(page, gateId).count()) ? tile(page, gateId).getAttribute('data-liveness') : null;
}

describe.skipIf(!haveChromium)('the control room pages', () => {
  beforeAll(async () => {
    cloud = await startConsoleCloud();
    browser = await launchBrowser();
    admin = await apiAs(cloud.url, ADMIN.username, ADMIN.password);
    await admin.post('/sites', { id: 'park', name: { zh: '翠湖公园', en: 'Jade Lake Park' } });
    await admin.post('/sites/park/zones', { id: 'north', name: { zh: '北区', en: 'North' } });
    for (const [id, zh, en] of [
      ['N1', '北门一号闸', 'North gate 1'],
      ['N2', '北门二号闸', 'North gate 2'],
    ] as const)
      await admin.post('/sites/park/gates', {
        id,
        zoneId: 'north',
        direction: 'in',
        kind: 'tripod',
        name: { zh, en },
      });
    await admin.post('/sites/park/windows', { id: 'W01', name: { zh: '一号窗口', en: 'Window 1' } });
    await admin.post('/ticket-types', {
      typeId: 1,
      siteId: 'park',
      code: 'ADULT',
      name: { zh: '成人票', en: 'Adult' },
      kind: 'single',
      prices: { window: 6_000 },
    });
    const visitDate = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date());
    const sale = await admin.post<{ tickets: { qrText: string }[] }>(
      '/sales',
      {
        siteId: 'park',
        windowId: 'W01',
        lines: [{ typeId: 1, quantity: 1, visitDate }],
        payments: [{ method: 'cash', amountFen: 6_000 }],
      },
      { 'idempotency-key': 'control-room-test-sale' },
    );
    qrText = sale.tickets[0]!.qrText;
    // One visitor fills the park: the entry takes it to the 95 % alert level.
    await admin.put('/occupancy/sites/park/capacity', { capacity: 1 });
    await createOperator(cloud.url, {
      username: OPERATOR.username,
      displayName: '孔监控',
      password: OPERATOR.password,
      roles: ['control_room'],
    });
    // Heartbeats every 5 s: a gate that stops talking counts as silent after 15 s.
    await admin.patch('/gates/N1/settings', { heartbeatSec: 5 });
    const login = await admin.post<{ username: string; password: string }>('/gates/N1/credentials');
    await admin.post('/gates/N2/credentials');
    gate = GateAgentProcess.start('N1', {
      siteId: 'park',
      url: cloud.brokerUrl,
      username: login.username,
      password: login.password,
      direction: 'in',
    });
    await gate.waitFor((line) => line.msg === 'gate config applied', 60_000);
    await gate.waitFor((line) => line.msg === 'whitelist snapshot applied', 60_000);
  }, 120_000);

  afterAll(async () => {
    await gate?.stop();
    await browser?.close();
    await cloud?.stop();
  }, 60_000);

  let context: BrowserContext;
  let gates: Page;

  it('shows the connected gate online and the never-connected one as such, with the site and zone filters in the URL', async () => {
    gates = await openPage(browser, cloud.url, 'zh-CN');
    context = gates.context();
    await context.addInitScript({ content: COUNT_TONES });
    await signIn(gates, OPERATOR.username, OPERATOR.password, '/gates');
    await expect.poll(() => liveness(gates, 'N1'), WAIT).toBe('online');
    expect(await liveness(gates, 'N2')).toBe('unknown');
    expect(await tile(gates, 'N1').textContent()).toContain('北门一号闸');
    expect(await tile(gates, 'N1').getByTestId('gate-mode').getAttribute('data-mode')).toBe('normal');
    await expect.poll(() => gates.getByTestId('gates-stream').getAttribute('data-state'), WAIT).toBe('open');
    // Against the site's whitelist head, as of the gate's last heartbeat.
    await expect
      .poll(() => tile(gates, 'N1').getByTestId('gate-whitelist').textContent(), WAIT)
      .toContain('白名单已同步');
    // The menu offers the control room's pages and nothing of the administration.
    const menu = await gates.getByTestId('main-menu').textContent();
    expect(menu).toContain('闸机指令');
    expect(menu).toContain('通信日志');
    expect(menu).not.toContain('操作员');

    await gates.goto('/gates?site=park&zone=north&state=online');
    await expect
      .poll(() => gates.getByTestId('gate-grid').locator(':scope > [data-liveness]').count(), WAIT)
      .toBe(1);
    await gates.goto('/gates?site=park');
    await expect.poll(() => liveness(gates, 'N2'), WAIT).toBe('unknown');
    await screenshot(gates, 'gates.zh-CN');
  }, 60_000);

  it('sends an emergency open to the zone after typing its id, and shows each gate’s answer as it arrives', async () => {
    const page = await context.newPage();
    await page.goto('/commands');
    await chooseOption(page, 'command-action', '紧急开闸');
    await page.getByTestId('command-target-kind').getByText('区域').click();
    await chooseOption(page, 'command-site', '翠湖公园');
    await chooseOption(page, 'command-zone', '北区');
    await page.getByLabel('有效期（秒）').fill('5');
    await expect.poll(() => page.getByTestId('command-affects').textContent()).toContain('将影响 2 台闸机');
    await page.getByTestId('command-submit').click();

    const dialog = page.getByRole('dialog');
    await expect.poll(() => dialog.getByTestId('confirm-word').textContent()).toBe('north');
    expect(await dialog.getByTestId('confirm-count').textContent()).toBe('2');
    expect(await dialog.textContent()).toContain('北门二号闸');
    const ok = dialog.getByRole('button', { name: '确认下发' });
    expect(await ok.isDisabled()).toBe(true);
    await dialog.getByTestId('confirm-input').fill('North');
    expect(await ok.isDisabled()).toBe(true);
    await dialog.getByTestId('confirm-input').fill('north');
    expect(await ok.isDisabled()).toBe(false);
    await screenshot(page, 'commands-confirm.zh-CN');
    await ok.click();

    await expect.poll(() => page.getByTestId('result-N1').getAttribute('data-result'), WAIT).toBe('ok');
    // The second gate never connected: no ack, counted as timed out once the command expired.
    await expect.poll(() => page.getByTestId('result-N2').getAttribute('data-result'), WAIT).toBe('timeout');
    await expect
      .poll(() => page.getByTestId('command-status').getAttribute('data-status'), WAIT)
      .toBe('completed');
    await expect.poll(() => page.getByTestId('command-history').locator('tbody tr').count(), WAIT).toBe(1);
    await screenshot(page, 'commands.zh-CN');
    await page.close();

    // The grid follows the gate's new mode.
    await expect
      .poll(() => tile(gates, 'N1').getByTestId('gate-mode').getAttribute('data-mode'), WAIT)
      .toBe('emergency_open');
  }, 60_000);

  it('shows a scanned ticket in the live feed while occupancy moves past capacity, with banner and tone', async () => {
    await admin.post('/commands?wait=10000', {
      action: { kind: 'normal' },
      target: { kind: 'gate', gateId: 'N1' },
    });
    await expect
      .poll(() => tile(gates, 'N1').getByTestId('gate-mode').getAttribute('data-mode'), WAIT)
      .toBe('normal');
    const passages = await context.newPage();
    await passages.goto('/passages');
    await expect
      .poll(() => passages.getByTestId('passages-stream').getAttribute('data-state'), WAIT)
      .toBe('open');
    expect(await gates.getByTestId('occupancy-banner').count()).toBe(0);
    const before = await tones(gates);

    expect(await gate!.scanOutcome(qrText)).toMatchObject({ admit: true });
    await expect
      .poll(
        () => passages.getByTestId('live-feed').locator('tbody tr', { hasText: '北门一号闸' }).count(),
        WAIT,
      )
      .toBe(1);
    expect(await passages.getByTestId('live-feed').textContent()).toContain('通行');
    // A code that is no ticket: a denial, in the feed with its reason in words.
    expect(await gate!.scanOutcome('NOT-A-TICKET')).toMatchObject({ admit: false, reason: 'MALFORMED' });
    await expect.poll(() => passages.getByTestId('live-feed').textContent(), WAIT).toContain('无法识别的码');
    await expect.poll(() => passages.getByTestId('summary-entries').textContent(), WAIT).toContain('1');
    await screenshot(passages, 'passages.zh-CN');

    await expect.poll(() => gates.getByTestId('inside-park').textContent(), WAIT).toContain('1');
    await expect
      .poll(() => gates.getByTestId('occupancy-banner').first().getAttribute('data-level'), WAIT)
      .toBe('95');
    expect(await gates.getByTestId('occupancy-banner').first().textContent()).toContain('翠湖公园');
    await expect.poll(() => tones(gates), WAIT).toBeGreaterThan(before);
    expect(await tile(gates, 'N1').getByTestId('gate-last-scan').textContent()).not.toBe('—');
    // Muted, and kept so on this terminal.
    await gates.getByTestId('mute-toggle').click();
    expect(await gates.getByTestId('mute-toggle').getAttribute('aria-pressed')).toBe('true');
    await screenshot(gates, 'gates-occupancy.zh-CN');

    const dashboard = await context.newPage();
    await dashboard.goto('/dashboard');
    await expect.poll(() => dashboard.getByTestId('dashboard-denials').textContent(), WAIT).toContain('1');
    await expect.poll(() => dashboard.getByTestId('denials-chart').getAttribute('data-bars'), WAIT).toBe('1');
    await screenshot(dashboard, 'dashboard-passages.zh-CN');
    await dashboard.close();
    await passages.close();
  }, 90_000);

  it('calls a gate that stops talking without disconnecting silent, and never shows its mode as current', async () => {
    // The controller freezes: its connection stays open (no last will), its heartbeats stop.
    const pid = (gate as unknown as { child: { pid: number } }).child.pid;
    process.kill(pid, 'SIGSTOP');
    try {
      await expect.poll(() => liveness(gates, 'N1'), { timeout: 30_000 }).toBe('stale');
      expect(await tile(gates, 'N1').getByTestId('gate-mode').getAttribute('data-current')).toBe('false');
      expect(await gates.getByTestId('gate-counts').textContent()).toContain('失联 1');
      await screenshot(gates, 'gates-silent.zh-CN');
    } finally {
      process.kill(pid, 'SIGCONT');
    }
    await expect.poll(() => liveness(gates, 'N1'), WAIT).toBe('online');
  }, 60_000);

  it('turns the tile offline when the gate stops, keeping its last mode as last reported', async () => {
    await gate!.stop();
    gate = undefined;
    await expect.poll(() => liveness(gates, 'N1'), WAIT).toBe('offline');
    expect(await tile(gates, 'N1').getByTestId('gate-mode').getAttribute('data-current')).toBe('false');
    expect(await tile(gates, 'N1').getByTestId('gate-mode').textContent()).toContain('最后上报');
  }, 30_000);

  it('lists the gate’s messages in the communication log and its daily totals', async () => {
    const page = await context.newPage();
    await page.goto('/comm-log?gate=N1');
    await expect
      .poll(() => page.getByTestId('comm-log-entries').locator('tbody tr.ant-table-row').count(), WAIT)
      .toBeGreaterThan(0);
    expect(await page.getByTestId('comm-log-entries').textContent()).toContain('闸机 → 云端');
    await screenshot(page, 'comm-log.zh-CN');
    await page.goto('/comm-log?gate=N1&tab=daily');
    await expect
      .poll(() => page.getByTestId('comm-log-daily').locator('tbody tr.ant-table-row').count(), WAIT)
      .toBe(1);
    await screenshot(page, 'comm-log-daily.zh-CN');
    await page.close();
  }, 30_000);

  it('shows every page in English', async () => {
    const page = await openPage(browser, cloud.url, 'en');
    await signIn(page, OPERATOR.username, OPERATOR.password, '/gates?site=park');
    await expect.poll(() => liveness(page, 'N1'), WAIT).toBe('offline');
    expect(await tile(page, 'N1').textContent()).toContain('North gate 1');
    await screenshot(page, 'gates.en');
    await page.goto('/commands');
    await expect.poll(() => page.getByTestId('command-history').locator('tbody tr').count(), WAIT).toBe(2);
    await page
      .getByTestId('command-history')
      .locator('tbody tr')
      .last()
      .locator('.ant-table-row-expand-icon')
      .click();
    await screenshot(page, 'commands.en');
    await page.goto('/passages');
    await expect
      .poll(() => page.getByTestId('live-feed').locator('tbody tr.ant-table-row').count(), WAIT)
      .toBe(2);
    expect(await page.getByTestId('live-feed').textContent()).toContain('Unreadable code');
    await screenshot(page, 'passages.en');
    await page.goto('/comm-log');
    await expect
      .poll(() => page.getByTestId('comm-log-entries').locator('tbody tr.ant-table-row').count(), WAIT)
      .toBeGreaterThan(0);
    await screenshot(page, 'comm-log.en');
    await page.goto('/dashboard');
    await expect.poll(() => page.getByTestId('denials-chart').count(), WAIT).toBe(1);
    await screenshot(page, 'dashboard-passages.en');
    await page.context().close();
  }, 60_000);
});
