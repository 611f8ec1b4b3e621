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
