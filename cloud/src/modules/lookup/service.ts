/**
 * 票效查询: what a scanned code, an IC card or an ID number refers to and whether it would pass now. The input is
 * first checked as a credential — a QR text's signature against every signing key the cloud has held (so a forged
 * or altered code is named as such), a barcode's check digit, a card UID's shape — then the tickets it leads to are
 * answered with status, validity, entries left, the protocol rules' verdict for now (the same `decide()` the gates
 * run, at the given gate or, without one, ignoring zones and gates), passages, and the sale, refund and supplement
 * history.
 */

import {
  activationEnd,
  type CredentialRecord,
  checkBarcode,
  checkCardUid,
  checkoutMinute,
  checkQrCredential,
  classifyScan,
  decide,
  firstEntryOf,
  type GateInfo,
  PublicKeyring,
} from '@scenic/protocol';
import type { Connection } from '../../db/scoped.js';
import { AppError } from '../../platform/errors.js';
import { requireResidentId } from '../../platform/identity/resident-id.js';
import { ALL_SITES, type SiteScope } from '../../platform/site-scope.js';
import { invalidInput } from '../../platform/validation.js';
import { clockOf, isoDateOfDay } from '../capacity/local-time.js';
import { conflictsOf, passagesOf } from '../passages/reads.js';
import type { RefundsService } from '../refunds/service.js';
import type { SalesService } from '../sales/service.js';
import type { SigningKeys } from '../signing-keys/keys.js';
import type { CredentialSecrets } from '../signing-keys/secrets.js';
import type { SupplementsService } from '../supplements/service.js';
import { toTicketTypeRules } from '../ticket-types/gate-rules.js';
import type { TicketTypesService } from '../ticket-types/service.js';
import { findTicketRow, recordOf, ticketIdsBy, visitDaysOf } from '../tickets/reads.js';
import type { TicketsService } from '../tickets/service.js';
import type { VenuesService } from '../venues/service.js';
import type { CredentialCheck, LookupEntry, LookupQuery, LookupResult } from './schemas.js';

export interface LookupDependencies {
  readonly tickets: TicketsService;
  readonly ticketTypes: TicketTypesService;
  readonly venues: VenuesService;
  readonly sales: SalesService;
  readonly refunds: RefundsService;
  readonly supplements: SupplementsService;
  readonly keys: SigningKeys;
  readonly secrets: () => CredentialSecrets;
}

const FORGED_MESSAGE = '二维码签名不符：伪造或被篡改 / QR signature does not match: forged or altered';

export class LookupService {
  constructor(
    private readonly db: Connection,
    private readonly deps: LookupDependencies,
    private readonly now: () => number = Date.now,
  ) {}

  /** Tickets of a site out of `scope` are not found (a QR code of one is answered 404). */
  async lookup(query: LookupQuery, scope: SiteScope = ALL_SITES): Promise<LookupResult> {
    const now = this.now();
    const { credential, ticketIds } = await this.resolve(query, now, scope);
    const entries: LookupEntry[] = [];
    for (const ticketId of ticketIds) entries.push(await this.entry(ticketId, query, now, scope));
    return { credential, tickets: entries };
  }

  private async resolve(
    query: LookupQuery,
    now: number,
    scope: SiteScope,
  ): Promise<{ credential: CredentialCheck; ticketIds: number[] }> {
    const none = (credential: CredentialCheck) => ({ credential, ticketIds: [] });
    if (query.idNumber !== undefined) {
      const id = requireResidentId(query.idNumber);
      const ticketIds = await ticketIdsBy(
        this.db,
        'holder_id_hash',
        this.deps.secrets().idHash(id.number),
        scope,
      );
      return { credential: { input: 'id_number', check: 'OK', forged: false, message: 'OK' }, ticketIds };
    }
    if (query.cardUid !== undefined) {
      const card = checkCardUid(query.cardUid);
      if (!card.ok)
        throw invalidInput('querystring', [
          { path: ['cardUid'], code: 'custom', messages: { 'zh-CN': 'IC 卡号无效', en: card.message } },
        ]);
      const ticketIds = await ticketIdsBy(this.db, 'card_uid', card.uid, scope);
      return { credential: { input: 'card', check: 'OK', forged: false, message: 'OK' }, ticketIds };
    }
    const scan = classifyScan(query.code!);
    if (scan.kind === 'unknown')
      return none({
        input: 'unrecognised',
        check: 'UNRECOGNISED',
        forged: false,
        message: '不是本系统的二维码或条码 / Not a QR code or barcode of this system',
      });
    if (scan.kind === 'barcode') {
      const barcode = checkBarcode(scan.code);
      if (!barcode.ok)
        return none({ input: 'barcode', check: 'BAD_CHECK_DIGIT', forged: false, message: barcode.message });
      const ticketIds = await ticketIdsBy(this.db, 'barcode', barcode.barcode, scope);
      return { credential: { input: 'barcode', check: 'OK', forged: false, message: 'OK' }, ticketIds };
    }
    // Every key ever used, retired ones too: a lookup explains an old code rather than calling it unknown.
    const ring = PublicKeyring.fromEntries(await this.deps.keys.publicKeys());
    const checked = checkQrCredential(scan.text, ring, now);
    if (!checked.ok && !('credential' in checked))
      return none({
        input: 'qr',
        check: checked.code,
        forged: checked.code === 'BAD_SIGNATURE',
        message: checked.code === 'BAD_SIGNATURE' ? FORGED_MESSAGE : checked.message,
      });
    const credential = checked.ok ? checked.credential : checked.credential;
    return {
      credential: {
        input: 'qr',
        check: checked.ok ? 'OK' : checked.code,
        forged: false,
        message: checked.ok ? 'OK' : checked.message,
      },
      ticketIds: [credential.ticketId],
    };
  }

  private async entry(
    ticketId: number,
    query: LookupQuery,
    now: number,
    scope: SiteScope,
  ): Promise<LookupEntry> {
    const row = await findTicketRow(this.db, ticketId, scope);
    if (!row) throw new AppError('NOT_FOUND', { resource: { 'zh-CN': '票', en: 'Ticket' }, id: ticketId });
    const [ticket, type, site, passages, conflicts] = await Promise.all([
      this.deps.tickets.get(ticketId),
      this.deps.ticketTypes.get(row.type_id),
      this.deps.venues.getSite(row.site_id),
      passagesOf(this.db, ticketId),
      conflictsOf(this.db, ticketId),
    ]);
    let gate: GateInfo;
    let rules = toTicketTypeRules(type);
    if (query.gateId !== undefined) {
      const found = await this.deps.venues.getGate(row.site_id, query.gateId);
      gate = { siteId: row.site_id, gateId: found.id, zoneId: found.zoneId, direction: found.direction };
    } else {
      // No gate named: judge everything but the place.
      gate = { siteId: row.site_id, gateId: '-', zoneId: '-', direction: 'both' };
      rules = { ...rules, zones: [], gates: [] };
    }
    const record: CredentialRecord = recordOf(row);
    const clock = clockOf(site.timezone);
    const recent = passages
      .filter((p) => p.kind === 'passage')
      .map((p) => ({ at: p.at, direction: p.direction, gateId: p.gate_id }));
    const checkout = site.autoCheckoutAt === null ? null : checkoutMinute(site.autoCheckoutAt);
    const decision = decide({
      record,
      rules,
      gate,
      direction: query.direction,
      now,
      clock,
      recent,
      checkoutMinute: checkout,
    });
    // The activation as the gates decide it (protocol rules/first-use.ts): the earliest entry known.
    const firstEntryAt = record.activation ? firstEntryOf(record, recent) : null;
    const visitDays = visitDaysOf(row);
    const lineage = [ticketId];
    const [sale, refunds, supplements] = await Promise.all([
      row.sale_id === null ? null : this.deps.sales.get(row.sale_id),
      this.deps.refunds.ofTickets(lineage),
      this.deps.supplements.ofTickets(lineage),
    ]);
    return {
      ticket,
      entriesLeft: row.entries_total === null ? null : Math.max(0, row.entries_total - row.entries_used),
      activation: record.activation
        ? {
            latest: record.activation.by,
            period: { unit: record.activation.unit, count: record.activation.count },
            firstEntryAt,
            validUntil:
              firstEntryAt === null
                ? null
                : Math.min(record.validTo, activationEnd(firstEntryAt, record.activation, clock)),
          }
        : null,
      visitDays:
        rules.visitDays === undefined
          ? null
          : { allowed: rules.visitDays, used: visitDays.length, days: visitDays.map(isoDateOfDay) },
      presence: { ...presenceOf(record, recent), reentry: rules.reentry ?? null },
      verdict: { admit: decision.admit, reason: decision.reason, gateId: query.gateId ?? null, at: now },
      passages: passages.map((p) => ({
        kind: p.kind,
        gateId: p.gate_id,
        direction: p.direction,
        persons: p.persons,
        at: p.at,
        reason: p.reason,
        conflict: p.conflict,
        overdraft: p.overdraft,
      })),
      conflicts,
      sale: sale && {
        id: sale.id,
        siteId: sale.siteId,
        windowId: sale.windowId,
        channel: sale.channel,
        cashier: sale.cashier,
        totalFen: sale.totalFen,
        customerId: sale.customerId,
        paidFen: sale.paidFen,
        changeFen: sale.changeFen,
        ticketCount: sale.ticketCount,
        persons: sale.persons,
        createdAt: sale.createdAt,
      },
      refunds,
      supplements,
    };
  }
}

/**
 * Inside or outside by the latest passage the cloud knows (the record's last entry and exit, which re-entry types
 * keep, and every stored passage): the holder is inside when the latest entry is later than the latest exit.
 */
function presenceOf(
  record: CredentialRecord,
  recent: readonly { at: number; direction: 'in' | 'out' }[],
): { state: 'never' | 'inside' | 'outside'; lastEntryAt: number | null; lastExitAt: number | null } {
  let lastIn = record.lastEntryAt ?? null;
  let lastOut = record.lastExitAt ?? null;
  for (const passage of recent) {
    if (passage.direction === 'in') lastIn = Math.max(lastIn ?? passage.at, passage.at);
    else lastOut = Math.max(lastOut ?? passage.at, passage.at);
  }
  const state = lastIn === null ? 'never' : lastOut !== null && lastOut >= lastIn ? 'outside' : 'inside';
  return { state, lastEntryAt: lastIn, lastExitAt: lastOut };
}
