/**
 * `npm test`'s last step: runs vitest with its usual terminal output plus a JSON report, then closes with one plain
 * line — `tests: N passed, N failed` — that CI (and a person scrolling back) can read, and exits with vitest's code.
 * A test file that fails to load counts as a failed test, since it has no test results of its own to count.
 * Extra arguments go to vitest (`npm test -- cloud/src/db`).
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

interface JsonReport {
  numPassedTests: number;
  numFailedTests: number;
  numPendingTests: number;
  numTodoTests: number;
  testResults: { status: string; assertionResults: { status: string }[] }[];
}

const vitestBin = join(dirname(createRequire(import.meta.url).resolve('vitest/package.json')), 'vitest.mjs');
// Kept after the run (in the git-ignored .tmp/) for anyone who wants the details; removed first so a crashed run
// cannot be summarised from a stale report.
const reportFile = fileURLToPath(new URL('../../.tmp/vitest-report.json', import.meta.url));
rmSync(reportFile, { force: true });

const run = spawnSync(
  process.execPath,
  [
    vitestBin,
    'run',
    '--reporter=default',
    '--reporter=json',
    `--outputFile.json=${reportFile}`,
    ...process.argv.slice(2),
  ],
  { stdio: 'inherit' },
);
const exitCode = run.status ?? 1;

let summary: string;
try {
  const report = JSON.parse(readFileSync(reportFile, 'utf8')) as JsonReport;
  const brokenFiles = report.testResults.filter(
    (file) => file.status === 'failed' && !file.assertionResults.some((test) => test.status === 'failed'),
  ).length;
  const skipped = report.numPendingTests + report.numTodoTests;
  if (skipped > 0) console.log(`tests skipped: ${skipped}`);
  summary = `tests: ${report.numPassedTests} passed, ${report.numFailedTests + brokenFiles} failed`;
} catch {
  summary = `tests: no report from vitest (exit code ${exitCode})`;
}
console.log(summary);
process.exit(exitCode === 0 && summary.startsWith('tests: no report') ? 1 : exitCode);
