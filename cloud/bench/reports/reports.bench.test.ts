/**
 * bench:reports at a tiny scale (BENCH_SCALE=0.002: about 4,000 sales and 20,000 passages over the two years), run
 * as `npm run bench:reports` runs it: it builds, checks the rollups against the recomputation, times each report and
 * prints one RESULT line per engine, which must parse and say the rollups match.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const RESULT =
  /^RESULT engine=(sqlite|postgres) scale=([\d.]+) live_p95_ms=([\d.]+) shift_p95_ms=([\d.]+) month_p95_ms=([\d.]+) yoy_p95_ms=([\d.]+) summary_p95_ms=([\d.]+) max_p95_ms=([\d.]+) rollups_match=(true|false)$/;

function runBench(): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'cloud/bench/reports/reports.bench.ts'], {
      cwd: ROOT,
      env: { ...process.env, BENCH_SCALE: '0.002', BENCH_RUNS: '3' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk) => {
      output += chunk;
    });
    child.stderr.on('data', (chunk) => {
      output += chunk;
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, output }));
  });
}

describe('bench:reports at a small scale', () => {
  it('builds, finds the rollups equal to the recomputation and prints a RESULT line per engine', async () => {
    const { code, output } = await runBench();
    const results = output
      .split('\n')
      .filter((line) => line.startsWith('RESULT'))
      .map((line) => RESULT.exec(line));
    expect(results.length, output).toBeGreaterThanOrEqual(1);
    expect(code, output).toBe(0);
    for (const match of results) {
      expect(match, output).not.toBeNull();
      const [, engine, scale, ...rest] = match!;
      expect(['sqlite', 'postgres']).toContain(engine);
      expect(Number(scale)).toBe(0.002);
      const p95s = rest.slice(0, 6).map(Number);
      for (const p95 of p95s) expect(Number.isFinite(p95) && p95 >= 0).toBe(true);
      expect(p95s[5]).toBe(Math.max(...p95s.slice(0, 5)));
      expect(rest[6]).toBe('true');
    }
    expect(results.map((m) => m![1])).toContain('sqlite');
  }, 240_000);
});
