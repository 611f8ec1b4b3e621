/**
 * Builds the console into cloud/console/dist (never committed). `--if-stale` skips the build when dist is newer
 * than every source file, so `npm start` builds on a fresh clone and after a change, and starts at once otherwise.
 * Exit code 1 when the build fails (npm start then stops with Vite's message instead of serving an old console).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

const consoleDir = fileURLToPath(new URL('..', import.meta.url));
const builtIndex = join(consoleDir, 'dist', 'index.html');

function newestSource(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = 0;
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestSource(join(path, entry)));
  return newest;
}

export function consoleIsStale(): boolean {
  if (!existsSync(builtIndex)) return true;
  const sources = ['src', 'scripts', 'index.html', 'vite.config.ts', 'package.json'].map((name) =>
    join(consoleDir, name),
  );
  const newest = Math.max(...sources.filter((path) => existsSync(path)).map(newestSource));
  return newest > statSync(builtIndex).mtimeMs;
}

export function buildConsole(): boolean {
  const vite = join(dirname(createRequire(import.meta.url).resolve('vite/package.json')), 'bin', 'vite.js');
  // Two builds: the first only learns which libraries the shell needs (scripts/shell-modules.ts).
  const scratch = mkdtempSync(join(tmpdir(), 'console-build-'));
  const shellModules = join(scratch, 'shell-modules.json');
  try {
    for (const env of [
      { CONSOLE_SHELL_SCAN: shellModules, CONSOLE_BUILD_WRITE: 'no' },
      { CONSOLE_SHELL_MODULES: shellModules },
    ]) {
      const run = spawnSync(process.execPath, [vite, 'build', '--logLevel', 'warn'], {
        cwd: consoleDir,
        stdio: 'inherit',
        // Always the production build: run from vitest's global setup the environment says NODE_ENV=test, with
        // which Vite ships React's development build (larger, slower) to the browser tests and the console bench.
        env: { ...process.env, NODE_ENV: 'production', ...env },
      });
      if (run.status !== 0) return false;
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  precompress(join(consoleDir, 'dist', 'assets'));
  return true;
}

/**
 * Writes `.br` and `.gz` beside every script and stylesheet, once at build time, so the cloud serves them compressed
 * (`preCompressed` in platform/console-pages.ts) without compressing on every request.
 */
function precompress(folder: string): void {
  for (const name of readdirSync(folder)) {
    if (!/\.(js|css|svg)$/.test(name)) continue;
    const path = join(folder, name);
    const body = readFileSync(path);
    writeFileSync(`${path}.gz`, gzipSync(body, { level: 9 }));
    writeFileSync(
      `${path}.br`,
      brotliCompressSync(body, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }),
    );
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const ifStale = process.argv.includes('--if-stale');
  if (ifStale && !consoleIsStale()) {
    console.log('控制台已是最新构建 / The console build is up to date');
  } else {
    console.log('正在构建控制台… / Building the console…');
    if (!buildConsole()) {
      console.error('控制台构建失败 / The console build failed');
      process.exit(1);
    }
    console.log('控制台构建完成 / Console built');
  }
}
