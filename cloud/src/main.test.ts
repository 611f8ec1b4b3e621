/** The real process: tsx, environment, a socket, signals and exit codes. */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from '@scenic/testkit/free-port';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const tsx = join(repoRoot, 'node_modules/.bin/tsx');
const mainFile = join(repoRoot, 'cloud/src/main.ts');

interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

function start(env: Record<string, string>): { child: ChildProcess; exited: Promise<Exit> } {
  const child = spawn(tsx, [mainFile], {
    cwd: repoRoot,
    // The embedded MQTT broker would take 1883 (held by the shared Mosquitto here): every test picks a free port.
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      MQTT_HOST: '127.0.0.1',
      MQTT_PORT: '0',
      MQTT_WS_PORT: 'off',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk) => {
    stdout += chunk;
  });
  child.stderr?.on('data', (chunk) => {
    stderr += chunk;
  });
  const exited = new Promise<Exit>((resolve) => {
    child.on('exit', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
  return { child, exited };
}

function listen(server: Server, port = 0): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      const address = server.address();
      if (typeof address === 'object' && address) resolve(address.port);
      else reject(new Error('no port'));
    });
  });
}

async function waitForHealth(url: string, deadline: number): Promise<Response> {
  for (;;) {
    try {
      return await fetch(url);
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

describe('cloud process', () => {
  let folder: string;
  let running: ChildProcess | undefined;
  beforeEach(() => {
    folder = mkdtempSync(join(tmpdir(), 'scenic-main-'));
  });
  afterEach(() => {
    if (running?.exitCode === null) running.kill('SIGKILL');
    running = undefined;
    rmSync(folder, { recursive: true, force: true });
  });

  it('serves /healthz over a real socket and exits 0 on SIGTERM', async () => {
    const port = await freePort();
    const { child, exited } = start({
      HOST: '127.0.0.1',
      PORT: String(port),
      DATABASE_URL: `sqlite:${join(folder, 'nested/cloud.db')}`,
    });
    running = child;
    const response = await waitForHealth(`http://127.0.0.1:${port}/healthz`, Date.now() + 20_000);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ status: 'ok', database: 'sqlite', leader: true });
    // The console (built by the test run's global setup) is served at /.
    expect((await fetch(`http://127.0.0.1:${port}/`)).headers.get('content-type')).toMatch(/text\/html/);

    child.kill('SIGTERM');
    const exit = await exited;
    expect(exit).toMatchObject({ code: 0, signal: null });
    expect(exit.stdout).toContain('shutting down');
    // Plain lines for the person at the terminal, besides the JSON log: where the console opens, and the generated
    // first administrator's password.
    expect(exit.stdout).toContain(`控制台 / Console: http://127.0.0.1:${port}/`);
    const password = /^首个管理员 \/ First administrator: admin {3}密码 \/ password: (\S+)/m.exec(
      exit.stdout,
    )?.[1];
    expect(password).toBeTruthy();
  });

  it('exits 1 with one clear bilingual line when the port is taken', async () => {
    const holder = createServer();
    const port = await listen(holder);
    try {
      const { child, exited } = start({
        HOST: '127.0.0.1',
        PORT: String(port),
        DATABASE_URL: `sqlite:${join(folder, 'cloud.db')}`,
      });
      running = child;
      const exit = await exited;
      expect(exit.code).toBe(1);
      expect(exit.stderr.trim()).toBe(
        `端口 ${port} 已被占用（127.0.0.1），请关闭占用它的程序或设置 PORT 换一个端口 / ` +
          `Port ${port} on 127.0.0.1 is already in use: stop the program holding it or set PORT to another port`,
      );
    } finally {
      await new Promise((resolve) => holder.close(resolve));
    }
  });

  it('exits 1 with one clear bilingual line when the MQTT port is taken', async () => {
    const holder = createServer();
    const mqttPort = await listen(holder);
    try {
      const { child, exited } = start({
        HOST: '127.0.0.1',
        PORT: String(await freePort()),
        MQTT_PORT: String(mqttPort),
        DATABASE_URL: `sqlite:${join(folder, 'cloud.db')}`,
      });
      running = child;
      const exit = await exited;
      expect(exit.code).toBe(1);
      expect(exit.stderr.trim()).toBe(
        `MQTT 端口 ${mqttPort} 已被占用（127.0.0.1），请关闭占用它的程序或设置 MQTT_PORT 换一个端口 / ` +
          `MQTT port ${mqttPort} on 127.0.0.1 is already in use: stop the program holding it or set MQTT_PORT to another port`,
      );
    } finally {
      await new Promise((resolve) => holder.close(resolve));
    }
  });

  it('exits 2 with a bilingual message and no stack trace on bad configuration', async () => {
    const { child, exited } = start({ PORT: 'eighty', DATABASE_URL: `sqlite:${join(folder, 'cloud.db')}` });
    running = child;
    const exit = await exited;
    expect(exit.code).toBe(2);
    expect(exit.stderr).toContain('配置无效 / Invalid configuration:');
    expect(exit.stderr).toMatch(/PORT: .*期望.* \/ .*expected/);
    expect(exit.stderr).not.toMatch(/\bat .*\.ts:\d+/);
  });
});
