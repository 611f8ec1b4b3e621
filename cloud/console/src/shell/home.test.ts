import { describe, expect, it } from 'vitest';
import { homeTarget } from './home';

describe('where / leads', () => {
  it('sends an operator who may set up venues to the setup wizard while no site exists', () => {
    expect(homeTarget({ firstPage: 'dashboard', canSetUp: true, sites: 0 })).toBe('/setup');
    expect(homeTarget({ firstPage: 'dashboard', canSetUp: true, sites: 1 })).toBe('/dashboard');
  });

  it('waits for the site list only when it matters, and never blocks on a failed look-up', () => {
    expect(homeTarget({ firstPage: 'dashboard', canSetUp: true, sites: 'pending' })).toBeUndefined();
    expect(homeTarget({ firstPage: 'dashboard', canSetUp: true, sites: 'error' })).toBe('/dashboard');
    expect(homeTarget({ firstPage: 'window', canSetUp: false, sites: 'pending' })).toBe('/window');
    expect(homeTarget({ firstPage: 'window', canSetUp: false, sites: 0 })).toBe('/window');
  });

  it('falls back to the own password page when no menu page is allowed', () => {
    expect(homeTarget({ firstPage: undefined, canSetUp: false, sites: 'pending' })).toBe('/password');
  });
});
