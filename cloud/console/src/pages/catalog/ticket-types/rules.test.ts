import type { FormRule } from 'antd';
import type { TFunction } from 'i18next';
import { describe, expect, it } from 'vitest';
import { editorRules, isIsoDate } from './rules';

/** The key (and its values) as the message, so a test reads which refusal it got. */
const t = ((key: string, values?: Record<string, unknown>) =>
  values ? `${key} ${JSON.stringify(values)}` : key) as unknown as TFunction<'catalog'>;

/** Runs a field's rules as the form would: the first refusal's message, or null when accepted. */
async function check(rules: FormRule[], value: unknown): Promise<string | null> {
  for (const rule of rules) {
    if (typeof rule === 'function') continue;
    if (rule.validator) {
      try {
        await rule.validator(rule as never, value, () => undefined);
      } catch (error) {
        return (error as Error).message;
      }
    }
  }
  return null;
}

const form = (values: Record<string, unknown>) => (path: unknown) =>
  values[Array.isArray(path) ? path.join('.') : String(path)];

describe('the editor’s entry rule checks (as the API’s)', () => {
  const rules = editorRules(t);

  it('takes visit days only as many as the validity holds (a month as 31 days)', async () => {
    const days30 = form({ 'validity.length': { unit: 'day', count: 30 } });
    expect(await check(rules.visitDays(days30), 3)).toBeNull();
    expect(await check(rules.visitDays(days30), 30)).toBeNull();
    expect(await check(rules.visitDays(days30), 31)).toBe('editor.errors.visitDaysFit {"days":30}');
    expect(await check(rules.visitDays(days30), null)).toBeNull();
    const month = form({ 'validity.length': { unit: 'month', count: 1 } });
    expect(await check(rules.visitDays(month), 31)).toBeNull();
    expect(await check(rules.visitDays(month), 32)).toBe('editor.errors.visitDaysFit {"days":31}');
  });

  it('allows activation limits only for a validity from the first entry, and a real date', async () => {
    const firstUse = form({ 'validity.from': 'first_use' });
    const visitDate = form({ 'validity.from': 'visit_date' });
    expect(await check(rules.activateBy(firstUse), '2027-06-30')).toBeNull();
    expect(await check(rules.activateBy(firstUse), '')).toBeNull();
    expect(await check(rules.activateBy(firstUse), '2027-02-30')).toBe('editor.errors.date');
    expect(await check(rules.activateBy(firstUse), '30/06/2027')).toBe('editor.errors.date');
    expect(await check(rules.activateBy(visitDate), '2027-06-30')).toBe('editor.errors.activationFirstUse');
    expect(await check(rules.activateWithinDays(firstUse), 90)).toBeNull();
    expect(await check(rules.activateWithinDays(visitDate), 90)).toBe('editor.errors.activationFirstUse');
    expect(await check(rules.activateWithinDays(visitDate), null)).toBeNull();
  });

  it('allows same-day re-entry on single tickets, with a cut-off from 00:01 to 24:00 or all day', async () => {
    expect(await check(rules.reentry(form({ kind: 'single' })), true)).toBeNull();
    expect(await check(rules.reentry(form({ kind: 'count' })), true)).toBe('editor.errors.reentrySingle');
    expect(await check(rules.reentry(form({ kind: 'count' })), false)).toBeNull();
    expect(await check(rules.reentryUntil, '')).toBeNull();
    expect(await check(rules.reentryUntil, '17:30')).toBeNull();
    expect(await check(rules.reentryUntil, '24:00')).toBeNull();
    expect(await check(rules.reentryUntil, '00:00')).toBe('editor.errors.reentryUntil');
    expect(await check(rules.reentryUntil, '5pm')).toBe('editor.errors.reentryUntil');
  });

  it('knows a calendar date', () => {
    expect(isIsoDate('2028-02-29')).toBe(true);
    expect(isIsoDate('2027-02-29')).toBe(false);
    expect(isIsoDate('2027-6-30')).toBe(false);
  });
});
