import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['**/*.test.ts'],
    exclude: ['**/node_modules/**', '**/dist/**'],
    testTimeout: 30_000,
    // Vitest's default (one worker fewer than the cores) runs one file at a time on a 2-core machine, and most
    // files wait on sockets, databases and timers rather than the CPU: two at a time took the main phase from 712 s
    // to 411 s here, all passing. The browser phase still runs one file at a time (test/support/run-vitest.ts).
    maxWorkers: Math.max(2, availableParallelism() - 1),
    globalSetup: ['test/console/global-setup.ts', 'test/support/scratch-run.ts'],
    hookTimeout: 30_000,
    // Service-backed suites (PostgreSQL, MQTT) print why they are skipped; keep that visible.
    silent: false,
  },
});
