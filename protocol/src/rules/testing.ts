/** What the rules' table tests share: one entry scan decided by the engine at a both-ways gate of site park. */
import type { CredentialRecord, PassageRecord, TicketTypeRules } from '../model.js';
import type { DecisionReason } from '../reasons.js';
import { decide } from './engine.js';
import type { VenueClock } from './venue-clock.js';

/** The reason the engine gives `record` scanned inward at gate g1 (zone main) at `now`, after `recent` passages. */
export function entryReason(
  record: CredentialRecord,
  rules: TicketTypeRules,
  now: number,
  recent: PassageRecord[],
  clock: VenueClock,
): DecisionReason {
  return decide({
    record,
    rules,
    gate: { siteId: 'park', gateId: 'g1', zoneId: 'main', direction: 'both' },
    direction: 'in',
    now,
    clock,
    recent,
  }).reason;
}
