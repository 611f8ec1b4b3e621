import { describe, expect, it } from 'vitest';
import { earlyReadsScript } from './early-reads.js';

describe('earlyReadsScript', () => {
  it('bundles the early reads into one small classic script that runs for the current address', async () => {
    const script = await earlyReadsScript();
    expect(script.length).toBeLessThan(4_000);
    expect(script).toMatch(/^\(function\(\)\{/);
    expect(script).toContain('location.pathname');
    expect(script).not.toMatch(/\bimport\b|\bexport\b/);
    // Nothing of React, the query cache or the texts travels in it.
    expect(script).not.toMatch(/react|i18next|QueryClient/i);
  }, 60_000);
});
