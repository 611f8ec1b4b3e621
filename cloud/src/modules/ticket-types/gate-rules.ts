/** What gates get from a ticket type: protocol's TicketTypeRules, built from one version. */
import { type TicketTypeRules, ticketTypeRulesSchema } from '@scenic/protocol';
import type { TicketTypeVersion } from './schemas.js';

/**
 * The version's rules in the protocol's shape. Parsed through the protocol schema on the way out, so a gate can
 * never be sent rules its own validation would refuse.
 */
export function toTicketTypeRules(version: TicketTypeVersion): TicketTypeRules {
  return ticketTypeRulesSchema.parse({ ...version.rules, typeId: version.typeId, name: version.name });
}

/**
 * The gate rules of types as read (a committed version is immutable and the service shares one frozen copy of it),
 * each parsed once: the passage ingestion judges every entry decided offline with them (tickets/passage-hook.ts).
 */
export class GateRulesCache {
  private readonly parsed = new WeakMap<object, TicketTypeRules>();

  of(version: TicketTypeVersion): TicketTypeRules {
    let rules = this.parsed.get(version.rules);
    if (!rules) {
      rules = toTicketTypeRules(version);
      this.parsed.set(version.rules, rules);
    }
    return rules;
  }
}
