/**
 * An entry decided offline is judged with the site's automatic check-out, as the gate decided it: a same-day
 * re-entry ticket still inside at the check-out may come back in without an exit, and that is no conflict.
 */
import { createVenueClock, ticketTypeRulesSchema } from '@scenic/protocol';
import { describe, expect, it } from 'vitest';
import { offlineConflict } from './passage-hook.js';

const HOUR = 3_600_000;
/** Asia/Shanghai wall time on 12 May 2026. */
const sh = (hour: number, minute = 0) => Date.UTC(2026, 4, 12, hour, minute) - 8 * HOUR;
const clock = createVenueClock('Asia/Shanghai');
const rules = ticketTypeRulesSchema.parse({
  typeId: 21,
  name: { zh: '日票', en: 'Day ticket' },
  reentry: { until: null },
});
/** Entered at 09:00 and never seen leaving. */
const row = {
  id: 9001,
  type_id: 21,
  type_version: 1,
  site_id: 'park',
  barcode: null,
  card_uid: null,
  status: 'used' as const,
  valid_from: sh(0),
  valid_to: sh(24),
  entries_total: 1,
  entries_used: 1,
  slot_start: null,
  slot_end: null,
  persons: 1,
  activate_by: null,
  activation_unit: null,
  activation_count: null,
  first_entry_at: null,
  visit_days: null,
  last_visit_at: null,
  last_entry_at: sh(9),
  last_exit_at: null,
  ended_at: null,
};
const entry = (at: number) => ({ at, site_id: 'park', gate_id: 'G01', zone_id: 'main' });

describe('offline entries and the automatic check-out', () => {
  it('after the check-out the re-entry is what the gate admitted; before it, or without one, a passback', () => {
    const checkout = 22 * 60;
    expect(offlineConflict(row, entry(sh(22, 30)), rules, clock, checkout)).toBeNull();
    expect(offlineConflict(row, entry(sh(21, 59)), rules, clock, checkout)).toBe('ANTI_PASSBACK');
    expect(offlineConflict(row, entry(sh(22, 30)), rules, clock, null)).toBe('ANTI_PASSBACK');
  });
});
