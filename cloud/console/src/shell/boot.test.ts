import { describe, expect, it } from 'vitest';
import { pageAt } from './boot';
import { PAGES } from './routes';

describe('pageAt', () => {
  it('finds the page an address opens, by its first path segment', () => {
    expect(pageAt('/window')?.path).toBe('window');
    expect(pageAt('/gates/G01')?.path).toBe('gates');
    expect(pageAt('/')).toBeUndefined();
    expect(pageAt('/login')).toBeUndefined();
    expect(pageAt('/no-such-page')).toBeUndefined();
  });

  it('knows every page of the menu', () => {
    for (const page of PAGES) expect(pageAt(`/${page.path}`)).toBe(page);
  });
});
