/**
 * `npm test`'s last step: runs vitest with its usual terminal output plus a JSON report, then closes with one plain
 * line — `tests: N passed, N failed` — that CI (and a person scrolling back) can read, and exits non-zero when any
 * test failed. A test file that fails to load counts as a failed test, since it has no test results of its own.
 *
 * Two phases: every test but the console's browser tests, files in parallel; then the browser tests
 * (test/console/), one file at a time. Each of those starts a cloud process and a Chromium, and on a 2-core machine
 * running them beside the rest (or each other) starves their pages of CPU until waits time out.
 * Extra arguments go to vitest in both phases (`npm test -- cloud/src/db`); a phase with no matching file is skipped.
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

interface PhaseResult {
  readonly exitCode: number;
  readonly report: JsonReport | undefined;
}

const vitestBin = join(dirname(createRequire(import.meta.url).resolve('vitest/package.json')), 'vitest.mjs');
const BROWSER_TESTS = 'test/console/';

function runPhase(name: string, phaseArgs: string[]): PhaseResult {
  // Kept after the run (in the git-ignored .tmp/) for anyone who wants the details; removed first so a crashed run
  // cannot be summarised from a stale report.
  const reportFile = fileURLToPath(new URL(`../../.tmp/vitest-report-${name}.json`, import.meta.url));
  rmSync(reportFile, { force: true });
  const run = spawnSync(
    process.execPath,
    [
      vitestBin,
      'run',
      '--reporter=default',
      '--reporter=json',
      `--outputFile.json=${reportFile}`,
      '--passWithNoTests',
      ...phaseArgs,
      ...process.argv.slice(2),
    ],
    { stdio: 'inherit' },
  );
  let report: JsonReport | undefined;
  try {
    report = JSON.parse(readFileSync(reportFile, 'utf8')) as JsonReport;
  } catch {
    report = undefined;
  }
  return { exitCode: run.status ?? 1, report };
}

const phases = [
  runPhase('main', [`--exclude=${BROWSER_TESTS}**`]),
  runPhase('browser', ['--dir', BROWSER_TESTS, '--no-file-parallelism']),
];

let passed = 0;
let failed = 0;
let skipped = 0;
let missingReport = false;
for (const { report } of phases) {
  if (!report) {
    missingReport = true;
    continue;
  }
  const brokenFiles = report.testResults.filter(
    (file) => file.status === 'failed' && !file.assertionResults.some((test) => test.status === 'failed'),
  ).length;
  passed += report.numPassedTests;
  failed += report.numFailedTests + brokenFiles;
  skipped += report.numPendingTests + report.numTodoTests;
}
if (skipped > 0) console.log(`tests skipped: ${skipped}`);
const exitCode = phases.find((phase) => phase.exitCode !== 0)?.exitCode ?? 0;
if (missingReport)
  console.log(
    `tests: no report from vitest for a phase (exit codes ${phases.map((p) => p.exitCode).join(', ')})`,
  );
console.log(`tests: ${passed} passed, ${failed} failed`);
process.exit(missingReport || failed > 0 ? exitCode || 1 : exitCode);
