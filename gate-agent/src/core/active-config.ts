import {
  checkoutMinute,
  createVenueClock,
  type GateConfig,
  type GateInfo,
  PublicKeyring,
  type TicketTypeRules,
  type VenueClock,
} from '@scenic/protocol';

/**
 * A gate config turned into what the decision path needs: the keyring, the ticket-type rules by id, the venue
 * clock, the automatic check-out. Building it throws (ProtocolError) for a key that does not parse or an unknown time zone, so a bad config
 * is refused whole and the gate keeps running the previous one.
 */
export class ActiveConfig {
  readonly keyring: PublicKeyring;
  readonly rules: ReadonlyMap<number, TicketTypeRules>;
  readonly clock: VenueClock;
  readonly gate: GateInfo;
  /** The site's automatic check-out in minutes after local midnight; null = none. */
  readonly checkoutMinute: number | null;

  constructor(
    readonly config: GateConfig,
    siteId: string,
  ) {
    this.keyring = PublicKeyring.fromEntries(config.signingKeys);
    this.rules = new Map(config.ticketTypes.map((t) => [t.typeId, t]));
    this.clock = createVenueClock(config.timeZone);
    this.checkoutMinute = config.autoCheckoutAt === undefined ? null : checkoutMinute(config.autoCheckoutAt);
    this.gate = { siteId, gateId: config.gateId, zoneId: config.zoneId, direction: config.direction };
  }
}
