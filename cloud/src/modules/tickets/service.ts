/**
 * Issued tickets and their credentials (票 / 凭证), and the whitelist change feed that gates follow.
 *
 * Every change of a credential — issue, activate, use, refund, revoke, update — goes through this service inside the
 * caller's transaction and appends one feed row per ticket with the full protocol CredentialRecord after the change.
 * Each site's feed versions are consecutive (1, 2, 3 …) and commit with the change, so:
 *   - a consumer polls `feedSince(siteId, lastVersion)` and applies entries in order; the entries after version
 *     `last` up to `n` make one `whitelist_delta` from `last` to `n`, upserting each ticket's last record;
 *   - a consumer that missed versions (or starts empty) loads `snapshot(siteId)` — the records of every non-expired
 *     credential with the version they are consistent with — then follows the feed from that version.
 * On PostgreSQL, callers should run in `auditedTransaction` (or otherwise serialise on the site's feed head), since
 * two serializable transactions that both bump one site's head abort one of them.
 */

import { randomInt } from 'node:crypto';
import {
  type CredentialRecord,
  type CredentialStatus,
  encodeQrCredential,
  QR_FLAGS,
  type SigningKeyPair,
} from '@scenic/protocol';
import type { Insertable } from 'kysely';
import type { Connection } from '../../db/scoped.js';
import { transaction } from '../../db/transaction.js';
import { AppError } from '../../platform/errors.js';
import type { Localized } from '../../platform/language.js';
import { ALL_SITES, assertSiteVisible, type SiteScope } from '../../platform/site-scope.js';
import * as repo from './repo.js';
import type { FeedOp, FeedPage, Snapshot, Ticket } from './schemas.js';
import { type TicketDb, type TicketsTable, ticketTables } from './tables.js';
import * as feedRepo from './whitelist-feed-repo.js';

type Db = Connection;

const TICKET: Localized = { 'zh-CN': '票', en: 'Ticket' };
const MAX_TICKET_ID = 2 ** 40 - 1;

export interface TicketHolder {
  readonly name: string;
  readonly idMasked: string;
  readonly idHash: string;
  /** From the ID number (days since 1970-01-01): a later move or upgrade prices the holder's age with it. */
  readonly birthDay: number | null;
}

/** What a seller knows about one ticket to issue; the service adds id, credential and feed entry. */
export interface TicketToIssue {
  /** From `allocateIds`, when the caller needs the id first (e.g. to activate a stub); drawn here otherwise. */
  readonly ticketId?: number;
  readonly siteId: string;
  readonly typeId: number;
  readonly typeVersion: number;
  readonly saleId: string | null;
  readonly saleLine: number | null;
  readonly visitDay: number;
  readonly validFrom: number;
  readonly validTo: number;
  /**
   * Entries of one person (the type's entries; null = unlimited). A group code (persons > 1) is issued with
   * entriesTotal × persons, since its entries count in persons (protocol credential record).
   */
  readonly entriesTotal: number | null;
  readonly persons: number;
  readonly slot: { readonly id: string; readonly startAt: number; readonly endAt: number } | null;
  readonly holder: TicketHolder | null;
  readonly priceFen: number;
  /** protocol QR_FLAGS besides REAL_NAME, which follows from `holder`. */
  readonly flags: number;
  /** Pre-printed stock: the activated barcode. */
  readonly barcode?: string | null;
  readonly cardUid?: string | null;
  /** `active` (default) or `not_activated` for stock that is not sold yet. */
  readonly status?: CredentialStatus;
  /**
   * Validity from the first entry (ticket-types validity.ts): the latest activation (exclusive) and the period; the
   * window given is then the envelope [first day usable, end for an activation just before `by`).
   */
  readonly activation?: TicketActivation | null;
  /** The first entry, when a ticket is issued again in place of one that was used (a reissue). */
  readonly firstEntryAt?: number | null;
  /** The visit days used, likewise (a reissue keeps them). */
  readonly visitDays?: string | null;
  readonly lastVisitAt?: number | null;
}

export interface TicketActivation {
  readonly by: number;
  readonly unit: 'day' | 'month';
  readonly count: number;
}

/** Statuses a ticket ends in: from then on no gate may admit it. */
const ENDED: ReadonlySet<CredentialStatus> = new Set(['refunded', 'revoked', 'blacklisted']);

export interface TicketChange {
  readonly status?: CredentialStatus;
  readonly entriesUsed?: number;
  readonly cardUid?: string | null;
  readonly barcode?: string | null;
  readonly validFrom?: number;
  readonly validTo?: number;
  /** The first entry of a first-use ticket (the passage hook keeps the earliest). */
  readonly firstEntryAt?: number;
  /** Visit-day tickets: the local days entered on, ascending, and the first entry of the latest. */
  readonly visitDays?: readonly number[];
  readonly lastVisitAt?: number;
  /** Same-day re-entry: the latest entry and exit. */
  readonly lastEntryAt?: number;
  readonly lastExitAt?: number;
}

/** A ticket's signed QR text. */
function qrCredentialOf(
  ticket: {
    readonly id: number;
    readonly typeId: number;
    readonly validFrom: number;
    readonly validTo: number;
    readonly entriesTotal: number | null;
    readonly flags: number;
  },
  signer: SigningKeyPair,
): string {
  // The QR's entries byte holds 1–255; larger counts are left to the whitelist record (0 = not limited by the code).
  const entries = ticket.entriesTotal === null || ticket.entriesTotal > 255 ? 0 : ticket.entriesTotal;
  return encodeQrCredential(
    {
      ticketId: ticket.id,
      typeId: ticket.typeId,
      validFrom: ticket.validFrom,
      validTo: ticket.validTo,
      entries,
      flags: ticket.flags,
    },
    signer,
  );
}

/** A code's entries from one person's: a group code (persons > 1) counts in persons (protocol model.ts). */
export function entriesOfCode(perPerson: number | null, persons: number): number | null {
  return perPerson === null || persons <= 1 ? perPerson : perPerson * persons;
}

/** One person's entries of a stored code (what `issue` takes to issue it again, e.g. a reissue). */
export function entriesPerPerson(entriesTotal: number | null, persons: number): number | null {
  return entriesTotal === null || persons <= 1
    ? entriesTotal
    : Math.max(1, Math.round(entriesTotal / persons));
}

/** Random ids: not guessable from each other and no shared counter to contend on. */
function drawTicketId(): number {
  return randomInt(1, MAX_TICKET_ID + 1);
}

export class TicketsService {
  private readonly db: TicketDb;

  constructor(
    db: Connection,
    private readonly now: () => number = Date.now,
  ) {
    this.db = ticketTables(db);
  }

  /**
   * Issues tickets inside the caller's transaction: ids, signed QR codes (with `signer`), rows and one feed entry
   * each. Returns the rows in input order.
   */
  async issue(trx: Db, tickets: readonly TicketToIssue[], signer: SigningKeyPair): Promise<repo.TicketRow[]> {
    if (tickets.length === 0) return [];
    const now = this.now();
    const rowOf = (ticket: TicketToIssue, id: number): Insertable<TicketsTable> => {
      const flags = ticket.flags | (ticket.holder ? QR_FLAGS.REAL_NAME : 0);
      const entriesTotal = entriesOfCode(ticket.entriesTotal, ticket.persons);
      const qrText = qrCredentialOf(
        {
          id,
          typeId: ticket.typeId,
          validFrom: ticket.validFrom,
          validTo: ticket.validTo,
          entriesTotal,
          flags,
        },
        signer,
      );
      return {
        id,
        site_id: ticket.siteId,
        type_id: ticket.typeId,
        type_version: ticket.typeVersion,
        sale_id: ticket.saleId,
        sale_line: ticket.saleLine,
        status: ticket.status ?? 'active',
        visit_day: ticket.visitDay,
        valid_from: ticket.validFrom,
        valid_to: ticket.validTo,
        entries_total: entriesTotal,
        entries_used: 0,
        persons: ticket.persons,
        slot_id: ticket.slot?.id ?? null,
        slot_start: ticket.slot?.startAt ?? null,
        slot_end: ticket.slot?.endAt ?? null,
        holder_name: ticket.holder?.name ?? null,
        holder_id_masked: ticket.holder?.idMasked ?? null,
        holder_id_hash: ticket.holder?.idHash ?? null,
        holder_birth_day: ticket.holder?.birthDay ?? null,
        barcode: ticket.barcode ?? null,
        card_uid: ticket.cardUid ?? null,
        activate_by: ticket.activation?.by ?? null,
        activation_unit: ticket.activation?.unit ?? null,
        activation_count: ticket.activation?.count ?? null,
        first_entry_at: ticket.firstEntryAt ?? null,
        visit_days: ticket.visitDays ?? null,
        last_visit_at: ticket.lastVisitAt ?? null,
        last_entry_at: null,
        last_exit_at: null,
        qr_text: qrText,
        key_id: signer.keyId,
        flags,
        price_fen: ticket.priceFen,
        created_at: now,
        updated_at: now,
      };
    };
    // Ids not allocated beforehand are drawn here and inserted only if free (no read first); a drawn id that turns
    // out to be taken is drawn again, with its QR code signed anew.
    const rows = tickets.map((ticket) => rowOf(ticket, ticket.ticketId ?? drawTicketId()));
    let pending = rows.map((_, index) => index);
    for (;;) {
      const batchIds = new Set<number>();
      for (const index of pending) {
        // Distinct within the statement too, so a clash can only be with an existing ticket.
        while (batchIds.has(rows[index]!.id)) {
          if (tickets[index]!.ticketId !== undefined)
            throw new Error(`ticket id ${tickets[index]!.ticketId} is given twice`);
          rows[index] = rowOf(tickets[index]!, drawTicketId());
        }
        batchIds.add(rows[index]!.id);
      }
      const inserted = await repo.insertNewTickets(
        trx,
        pending.map((index) => rows[index]!),
      );
      const missing = pending.filter((index) => !inserted.has(rows[index]!.id));
      if (missing.length === 0) break;
      for (const index of missing) {
        if (tickets[index]!.ticketId !== undefined)
          throw new Error(`ticket id ${tickets[index]!.ticketId} from allocateIds is already in use`);
        rows[index] = rowOf(tickets[index]!, drawTicketId());
      }
      pending = missing;
    }
    const issued = rows as repo.TicketRow[];
    const bySite = new Map<string, repo.TicketRow[]>();
    for (const row of issued) bySite.set(row.site_id, [...(bySite.get(row.site_id) ?? []), row]);
    for (const [siteId, siteRows] of bySite) {
      await this.appendFeed(
        trx,
        siteId,
        siteRows.map((row) => ({ ticketId: row.id, op: 'issue', record: repo.recordOf(row) })),
        now,
      );
    }
    return issued;
  }

  /**
   * Changes one ticket inside the caller's transaction and appends its feed entry. `allowedFrom` lists the statuses
   * the change may start from (else TICKET_STATE_CONFLICT with `action` in the message).
   */
  async change(
    trx: Db,
    ticketId: number,
    op: FeedOp,
    patch: TicketChange,
    guard?: { readonly allowedFrom: readonly CredentialStatus[]; readonly action: Localized },
  ): Promise<repo.TicketRow> {
    const current = await repo.findTicketRow(trx, ticketId);
    if (!current) throw new AppError('NOT_FOUND', { resource: TICKET, id: ticketId });
    if (guard && !guard.allowedFrom.includes(current.status))
      throw new AppError('TICKET_STATE_CONFLICT', { ticketId, status: current.status, action: guard.action });
    const now = this.now();
    const updated = await repo.updateTicket(
      trx,
      ticketId,
      {
        ...(patch.status !== undefined && { status: patch.status }),
        ...(patch.entriesUsed !== undefined && { entries_used: patch.entriesUsed }),
        ...(patch.cardUid !== undefined && { card_uid: patch.cardUid }),
        ...(patch.barcode !== undefined && { barcode: patch.barcode }),
        ...(patch.validFrom !== undefined && { valid_from: patch.validFrom }),
        ...(patch.validTo !== undefined && { valid_to: patch.validTo }),
        ...(patch.firstEntryAt !== undefined && { first_entry_at: patch.firstEntryAt }),
        ...(patch.visitDays !== undefined && { visit_days: JSON.stringify(patch.visitDays) }),
        ...(patch.lastVisitAt !== undefined && { last_visit_at: patch.lastVisitAt }),
        ...(patch.lastEntryAt !== undefined && { last_entry_at: patch.lastEntryAt }),
        ...(patch.lastExitAt !== undefined && { last_exit_at: patch.lastExitAt }),
        // The instant it ended: a passage decided offline before it was still a valid entry (passage-hook.ts).
        ...(patch.status !== undefined &&
          ENDED.has(patch.status) &&
          !ENDED.has(current.status) && { ended_at: now }),
      },
      now,
    );
    await this.appendFeed(trx, current.site_id, [{ ticketId, op, record: repo.recordOf(updated!) }], now);
    return updated!;
  }

  /** Live tickets that `keyId` signed (what retiring it strands). */
  countLiveSignedBy(keyId: number, db: Db = this.db): Promise<number> {
    return repo.countLiveSignedBy(db, keyId, this.now());
  }

  /**
   * Gives up to `limit` live tickets signed by `keyId` a new QR credential signed by `signer`, inside the caller's
   * transaction; returns the ids re-signed. The ticket, its barcode, card and whitelist record stay as they are (the
   * gates' record does not name the key), so printing it again gives the new code, and the old printout is refused
   * once its key is retired. A ticket changed meanwhile (refunded, replaced) is left alone.
   */
  async resignSignedBy(trx: Db, keyId: number, signer: SigningKeyPair, limit: number): Promise<number[]> {
    const now = this.now();
    const rows = await repo.liveSignedBy(trx, keyId, now, limit);
    const done: number[] = [];
    for (const row of rows) {
      const qrText = qrCredentialOf(
        {
          id: row.id,
          typeId: row.type_id,
          validFrom: row.valid_from,
          validTo: row.valid_to,
          entriesTotal: row.entries_total,
          flags: row.flags,
        },
        signer,
      );
      if (
        await repo.replaceCredential(trx, { id: row.id, fromKeyId: keyId, qrText, keyId: signer.keyId }, now)
      )
        done.push(row.id);
    }
    return done;
  }

  /** A ticket of a site out of `scope` is not found. */
  async get(ticketId: number, db: Db = this.db, scope: SiteScope = ALL_SITES): Promise<Ticket> {
    const ticket = await repo.findTicket(db, ticketId, scope);
    if (!ticket) throw new AppError('NOT_FOUND', { resource: TICKET, id: ticketId });
    return ticket;
  }

  ofSale(saleId: string, db: Db = this.db): Promise<Ticket[]> {
    return repo.ticketsOfSale(db, saleId);
  }

  /** Tickets by id (a group order keeps its tickets' ids), ordered by id; ids not found are left out. */
  async byIds(ids: readonly number[], db: Db = this.db): Promise<Ticket[]> {
    const tickets: Ticket[] = [];
    // Chunks keep the IN list within both engines' parameter limits however large the group.
    for (let i = 0; i < ids.length; i += 500)
      tickets.push(...(await repo.ticketsByIds(db, ids.slice(i, i + 500))));
    return tickets;
  }

  /** Live tickets of one ID holder for a type and visit day (per-ID purchase limits). */
  countForHolder(db: Db, idHash: string, visitDay: number, typeId: number): Promise<number> {
    return repo.countForHolder(db, idHash, visitDay, typeId);
  }

  /** Feed entries after `after`, oldest first, at most `limit`, with the site's head version. */
  async feedSince(
    siteId: string,
    after: number,
    limit: number,
    scope: SiteScope = ALL_SITES,
  ): Promise<FeedPage> {
    assertSiteVisible(scope, siteId, () => siteNotFound(siteId));
    const [headVersion, entries] = await Promise.all([
      feedRepo.headVersion(this.db, siteId),
      feedRepo.feedAfter(this.db, siteId, after, limit),
    ]);
    return { siteId, headVersion, entries };
  }

  /** Records of every non-expired credential of the site, read in one transaction with the version they match. */
  async snapshot(siteId: string, scope: SiteScope = ALL_SITES): Promise<Snapshot> {
    assertSiteVisible(scope, siteId, () => siteNotFound(siteId));
    return transaction(this.db, async (trx) => {
      const version = await feedRepo.headVersion(trx, siteId);
      const rows = await repo.liveTickets(trx, siteId, this.now());
      return { siteId, version, records: rows.map(repo.recordOf) };
    });
  }

  private async appendFeed(
    trx: Db,
    siteId: string,
    entries: readonly { ticketId: number; op: FeedOp; record: CredentialRecord }[],
    at: number,
  ): Promise<void> {
    await feedRepo.appendFeed(trx, siteId, entries, at);
  }

  /** `count` ids not yet in use; a collision in 2^40 is rare but certain over millions of tickets, so check. */
  async allocateIds(trx: Db, count: number): Promise<number[]> {
    const ids = new Set<number>();
    while (ids.size < count) {
      const candidates = Array.from({ length: count - ids.size }, drawTicketId).filter((id) => !ids.has(id));
      const taken = await repo.takenIds(trx, candidates);
      for (const id of candidates) if (!taken.has(id)) ids.add(id);
    }
    return [...ids];
  }
}

function siteNotFound(siteId: string): AppError {
  return new AppError('NOT_FOUND', { resource: { 'zh-CN': '景区', en: 'Site' }, id: siteId });
}
