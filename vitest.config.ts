import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['**/*.test.ts'],
    exclude: ['**/node_modules/**', '**/dist/**'],
    testTimeout: 30_000,
    globalSetup: ['test/console/global-setup.ts'],
    hookTimeout: 30_000,
    // Service-backed suites (PostgreSQL, MQTT) print why they are skipped; keep that visible.
    silent: false,
  },
});
