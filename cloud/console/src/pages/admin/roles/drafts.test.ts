import { describe, expect, it } from 'vitest';
import { draftChanged, toggled } from './drafts';

const cashier = { code: 'cashier', permissions: ['sales.read', 'sales.sell'] };

describe('role drafts of the permission matrix', () => {
  it('records a ticked permission as a draft of the whole list', () => {
    const drafts = toggled({}, cashier, 'lookup.read', true);
    expect(drafts).toEqual({ cashier: ['lookup.read', 'sales.read', 'sales.sell'] });
    expect(draftChanged(cashier, drafts.cashier)).toBe(true);
  });

  it('drops the draft when the edit is undone', () => {
    const once = toggled({}, cashier, 'sales.sell', false);
    expect(once).toEqual({ cashier: ['sales.read'] });
    expect(toggled(once, cashier, 'sales.sell', true)).toEqual({});
    expect(draftChanged(cashier, undefined)).toBe(false);
  });

  it('keeps other roles’ drafts apart', () => {
    const admin = { code: 'admin', permissions: ['audit.read'] };
    const drafts = toggled(toggled({}, cashier, 'audit.read', true), admin, 'audit.read', false);
    expect(Object.keys(drafts).sort()).toEqual(['admin', 'cashier']);
  });
});
