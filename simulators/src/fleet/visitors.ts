/**
 * The visitor stream a fleet gate scans: a seeded mix of admitted entries, admitted exits and refusals, so a run
 * can be repeated with the same traffic. Each scan becomes one protocol event (passage or denial) with a fresh
 * lower-case UUID `eventId`; nothing here touches the network.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { DecisionReason, DenialEvent, PassageEvent } from '@scenic/protocol';

export interface VisitorMix {
  /** Share of scans that are admitted entries (0–1). */
  readonly admits: number;
  /** Share that are admitted exits. */
  readonly exits: number;
  /** Share that are refused; the three shares are normalised, so they need not add up to 1. */
  readonly denials: number;
}

export const DEFAULT_MIX: VisitorMix = { admits: 0.8, exits: 0.1, denials: 0.1 };

/** Refusal reasons a real lane sees most, roughly in their proportions (most refusals are expired or used tickets). */
const DENIAL_REASONS: readonly Exclude<DecisionReason, 'OK'>[] = [
  'EXPIRED',
  'EXPIRED',
  'USED',
  'USED',
  'UNKNOWN_CREDENTIAL',
  'ANTI_PASSBACK',
  'NOT_YET_VALID',
  'MALFORMED',
];

const CREDENTIAL_KINDS = ['qr', 'qr', 'qr', 'barcode', 'card'] as const;

export type FleetEvent = PassageEvent | DenialEvent;

/** mulberry32: tiny, fast and good enough to make traffic repeatable; not for anything secret. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

export class VisitorStream {
  private readonly random: () => number;
  private readonly admitShare: number;
  private readonly exitShare: number;

  constructor(
    private readonly gateId: string,
    mix: VisitorMix = DEFAULT_MIX,
    seed = 1,
    /** Ticket ids are drawn from 1 … ticketRange; a real venue's ids, when a bench wants them, come from `ticketIds`. */
    private readonly ticketRange = 1_000_000,
    private readonly ticketIds: readonly number[] = [],
  ) {
    const total = mix.admits + mix.exits + mix.denials;
    if (!(total > 0) || mix.admits < 0 || mix.exits < 0 || mix.denials < 0) {
      throw new RangeError('visitor mix needs non-negative shares with a positive sum');
    }
    this.admitShare = mix.admits / total;
    this.exitShare = mix.exits / total;
    this.random = seededRandom(seed);
  }

  /** The next scan at this gate as the event it produces, stamped `at`. */
  next(at: number): FleetEvent {
    const roll = this.random();
    const ticketId = this.ticketId();
    const credentialKind = CREDENTIAL_KINDS[Math.floor(this.random() * CREDENTIAL_KINDS.length)]!;
    if (roll < this.admitShare + this.exitShare) {
      const exit = roll >= this.admitShare;
      return {
        type: 'passage',
        v: 1,
        eventId: randomUUID(),
        gateId: this.gateId,
        at,
        ticketId,
        credentialKind,
        direction: exit ? 'out' : 'in',
        // One group ticket in fifty lets a small party through together.
        persons: this.random() < 0.02 ? 2 + Math.floor(this.random() * 8) : 1,
        entriesLeft: exit ? null : 0,
        decidedOffline: false,
        correlationId: null,
      };
    }
    const reason = DENIAL_REASONS[Math.floor(this.random() * DENIAL_REASONS.length)]!;
    const malformed = reason === 'MALFORMED';
    return {
      type: 'denial',
      v: 1,
      eventId: randomUUID(),
      gateId: this.gateId,
      at,
      direction: 'in',
      reason,
      credentialKind: malformed ? null : credentialKind,
      ticketId: malformed ? null : ticketId,
      // The raw code never leaves a gate; a hash of a made-up code stands in for it.
      codeHash: createHash('sha256').update(`${this.gateId}:${ticketId}:${at}`).digest('hex'),
    };
  }

  private ticketId(): number {
    if (this.ticketIds.length > 0) return this.ticketIds[Math.floor(this.random() * this.ticketIds.length)]!;
    return 1 + Math.floor(this.random() * this.ticketRange);
  }
}
