/**
 * What the gate core asks of the world outside it, named after the question: the SQLite GateStore answers the store
 * ports, the MQTT link the online validator, pino the log — each structurally, so the core imports none of them and
 * any of them can be swapped for an in-memory one (tests, simulators).
 */
import type {
  CredentialRecord,
  CredentialRef,
  DenialEvent,
  Direction,
  GateConfig,
  GateMode,
  PassageEvent,
  PassageRecord,
  ValidateResponse,
} from '@scenic/protocol';

/**
 * Online validation as the core sees it (the MQTT link implements it). Resolves with the cloud's answer, or null
 * when there is none by the deadline or the gate is not connected — never rejects.
 */
export interface OnlineValidator {
  validate(
    credential: CredentialRef,
    direction: Direction,
    deadlineMs: number,
  ): Promise<ValidateResponse | null>;
}

/** The logger calls the core makes (pino's signature: an object of fields, then the message). */
export interface Log {
  debug(fields: object, message: string): void;
  info(fields: object, message: string): void;
  warn(fields: object, message: string): void;
  error(fields: object, message: string): void;
}

/** Which cached record a scanned credential has (the whitelist); null when the gate does not know it. */
export interface CredentialLookup {
  byTicketId(ticketId: number): CredentialRecord | null;
  byBarcode(barcode: string): CredentialRecord | null;
  byCardUid(cardUid: string): CredentialRecord | null;
}

/** The whitelist cache, which also takes the newer record an online answer carried. */
export interface CredentialCache extends CredentialLookup {
  refreshRecord(record: CredentialRecord): void;
}

/** What the rules need to know about this gate's own admissions. */
export interface UsageHistory {
  /** Entries this gate consumed that the cloud's record may not include yet (add them to entriesUsed). */
  pendingEntries(ticketId: number): number;
  /** This gate's passages of the ticket that the rules still look at (anti-passback, per-day counts). */
  recentPassages(ticketId: number, now: number): PassageRecord[];
}

/** Where the result of a scan is kept, with the event the link delivers to the cloud. */
export interface ScanJournal {
  /**
   * An admit about to release the turnstile, on disk before the relay fires: `event` is the passage as reported if
   * the agent dies before it is settled (unconfirmed), `entries` how many entries that passage then uses.
   */
  recordAdmitIntent(intent: { readonly event: PassageEvent; readonly entries: number }): void;
  /** A group pass counted another person: its intent as it now stands, on disk before the next release. */
  updateAdmitIntent(intent: { readonly event: PassageEvent; readonly entries: number }): void;
  /**
   * The passage, the entries it used (1, a group's headcount, or none) and its event, all on disk or none; it
   * settles its admit intent.
   */
  recordPassage(event: PassageEvent, options: { readonly entries: number }): void;
  /** A refusal; a NO_PASSAGE names the admit intent it settles, removed in the same transaction. */
  recordDenial(event: DenialEvent, options?: { readonly settlesIntent?: string }): void;
  /** At start-up: every admit intent a crash left behind becomes its unconfirmed passage; returns them. */
  settleAdmitIntents(): PassageEvent[];
}

/** What the gate remembers across a restart: the config in force, the mode and deny-unauthorized. */
export interface GateMemory {
  /** The stored gate config, or null before the first one arrived (or when it no longer parses). */
  config(): GateConfig | null;
  saveConfig(config: GateConfig): void;
  /** The mode last entered, as stored; undefined on a gate that never ran. */
  savedMode(): string | undefined;
  saveMode(mode: GateMode): void;
  saveDenyUnauthorized(on: boolean): void;
}

/** Everything the core keeps on disk. */
export type GateCoreStore = CredentialCache & UsageHistory & ScanJournal & GateMemory;
