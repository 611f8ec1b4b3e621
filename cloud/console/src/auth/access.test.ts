import { describe, expect, it } from 'vitest';
import { allows } from './access';

describe('allows', () => {
  const admin = { permissions: ['operators.read', 'audit.read', 'sales.read', 'keys.manage'] } as const;

  it('follows the permissions an operator holds', () => {
    expect(allows(admin as never, 'sales.read')).toBe(true);
    expect(allows(admin as never, 'sales.sell')).toBe(false);
    expect(allows(undefined, 'authenticated')).toBe(false);
  });

  it('does not offer what all sites share to an operator limited to some sites', () => {
    const limited = { ...admin, siteIds: ['east'] };
    expect(allows(limited as never, 'sales.read')).toBe(true);
    expect(allows(limited as never, 'operators.read')).toBe(false);
    expect(allows(limited as never, 'audit.read')).toBe(false);
    expect(allows(limited as never, 'keys.manage')).toBe(false);
    expect(allows({ ...admin, siteIds: [] } as never, 'operators.read')).toBe(true);
  });
});
