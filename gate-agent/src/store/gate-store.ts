import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import {
  type CredentialRecord,
  type DenialEvent,
  encodeMessage,
  type GateConfig,
  type GateMode,
  gateConfigSchema,
  type PassageEvent,
  type PassageRecord,
} from '@scenic/protocol';
import Database from 'better-sqlite3';
import { type AdmitIntent, AdmitIntents } from './admit-intents.js';
import { CommandLog } from './command-log.js';
import { Meta } from './meta.js';
import { Outbox } from './outbox.js';
import { PassageLog } from './passage-log.js';
import { migrate } from './schema.js';
import { WhitelistStore } from './whitelist-store.js';

export interface GateStoreOptions {
  /** Open an existing store without writing (the `status` command next to a running agent). */
  readonly readonly?: boolean;
}

/**
 * Everything the gate keeps on disk, in one SQLite file. Its flat methods answer the gate core's store ports
 * (GateCoreStore in core/ports.ts); the parts below them serve the link, the CLI and the sync.
 */
export class GateStore {
  readonly db: Database.Database;
  readonly meta: Meta;
  readonly whitelist: WhitelistStore;
  readonly outbox: Outbox;
  readonly passages: PassageLog;
  readonly commands: CommandLog;
  readonly intents: AdmitIntents;

  constructor(path: string, options: GateStoreOptions = {}) {
    if (!options.readonly && path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    this.db = new Database(path, {
      readonly: options.readonly ?? false,
      fileMustExist: options.readonly ?? false,
    });
    if (!options.readonly) {
      this.db.pragma('journal_mode = WAL');
      // FULL: every commit is fsynced, WAL included. NORMAL could lose the last commits on power loss.
      this.db.pragma('synchronous = FULL');
      this.db.pragma('busy_timeout = 2000');
      migrate(this.db);
    }
    this.meta = new Meta(this.db);
    this.whitelist = new WhitelistStore(this.db, this.meta);
    this.outbox = new Outbox(this.db);
    this.passages = new PassageLog(this.db);
    this.commands = new CommandLog(this.db);
    this.intents = new AdmitIntents(this.db);
  }

  /**
   * Writes an admit down before its relay fires (one fsync, like the passage after it): if the agent dies before the
   * passage is settled, the next start reports it as an unconfirmed passage instead of forgetting it.
   */
  recordAdmitIntent(intent: AdmitIntent): void {
    this.intents.add(intent);
  }

  /** A group pass's intent after each person it counted, before the turnstile is released again (one fsync). */
  updateAdmitIntent(intent: AdmitIntent): void {
    this.intents.update(intent);
  }

  /**
   * Turns every admit a crash cut short into its unconfirmed passage — history row, entry (per the type's policy)
   * and outbox event, in one transaction — and returns those passages.
   */
  settleAdmitIntents(): PassageEvent[] {
    return this.db.transaction(() => {
      const settled: PassageEvent[] = [];
      for (const intent of this.intents.all()) {
        this.#storePassage(intent.event, intent.entries);
        settled.push(intent.event);
      }
      return settled;
    })();
  }

  /**
   * Records a passage that happened: the local history row, the consumed entry (if any) and the outbox event, in
   * one transaction — after it returns all three are on disk, or none is.
   */
  recordPassage(event: PassageEvent, options: { readonly entries: number }): void {
    this.db.transaction(() => this.#storePassage(event, options.entries))();
  }

  /** The passage's rows, and the end of its admit intent (same event id); inside the caller's transaction. */
  #storePassage(event: PassageEvent, entries: number): void {
    const payload = encodeMessage(event, 'event/passage').toString('utf8');
    this.passages.add(event.ticketId, { at: event.at, direction: event.direction, gateId: event.gateId });
    if (entries > 0) this.passages.addConsumedEntries(event.eventId, event.ticketId, event.at, entries);
    this.outbox.append(event.eventId, 'event/passage', payload, event.at);
    this.intents.remove(event.eventId);
  }

  /** A refusal; with `settlesIntent`, a NO_PASSAGE that also ends that admit's intent in the same transaction. */
  recordDenial(event: DenialEvent, options: { readonly settlesIntent?: string } = {}): void {
    const payload = encodeMessage(event, 'event/denial').toString('utf8');
    this.db.transaction(() => {
      this.outbox.append(event.eventId, 'event/denial', payload, event.at);
      if (options.settlesIntent !== undefined) this.intents.remove(options.settlesIntent);
    })();
  }

  byTicketId(ticketId: number): CredentialRecord | null {
    return this.whitelist.byTicketId(ticketId);
  }

  byBarcode(barcode: string): CredentialRecord | null {
    return this.whitelist.byBarcode(barcode);
  }

  byCardUid(cardUid: string): CredentialRecord | null {
    return this.whitelist.byCardUid(cardUid);
  }

  refreshRecord(record: CredentialRecord): void {
    this.whitelist.refreshRecord(record);
  }

  pendingEntries(ticketId: number): number {
    return this.passages.pendingEntries(ticketId);
  }

  recentPassages(ticketId: number, now: number): PassageRecord[] {
    return this.passages.recent(ticketId, now);
  }

  savedMode(): string | undefined {
    return this.meta.get('mode');
  }

  saveMode(mode: GateMode): void {
    this.meta.set('mode', mode);
  }

  saveDenyUnauthorized(on: boolean): void {
    this.meta.set('deny_unauthorized', String(on));
  }

  /** The stored gate config, or null before the first one arrived. */
  config(): GateConfig | null {
    const json = this.meta.get('config');
    if (json === undefined) return null;
    const parsed = gateConfigSchema.safeParse(JSON.parse(json));
    return parsed.success ? parsed.data : null;
  }

  saveConfig(config: GateConfig): void {
    this.meta.set('config', JSON.stringify(config));
  }

  /** Drops local history and command acks that no rule looks at any more. */
  prune(now: number): void {
    this.passages.prune(now);
    this.commands.prune(now);
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}
