import { createHash } from 'node:crypto';
import {
  type CredentialKind,
  type CredentialRecord,
  type CredentialRef,
  checkBarcode,
  checkCardUid,
  checkQrCredential,
  classifyScan,
  type DecisionReason,
  type PublicKeyLookup,
  QR_FLAGS,
  type QrCredential,
} from '@scenic/protocol';
import type { CredentialLookup } from './ports.js';

/** What a scan or card read turned out to be before any rule was applied. */
export type Resolved =
  | {
      readonly ok: true;
      readonly kind: CredentialKind;
      readonly ref: CredentialRef;
      /** null when the credential is not in the whitelist (the rules engine then says UNKNOWN_CREDENTIAL). */
      readonly record: CredentialRecord | null;
      readonly codeHash: string;
    }
  | {
      readonly ok: false;
      readonly kind: CredentialKind | null;
      readonly reason: DecisionReason;
      readonly ticketId: number | null;
      readonly codeHash: string;
      readonly detail: string;
    };

/** Lower-case hex SHA-256 of the scanned text: what a denial event carries instead of the code itself. */
export function codeHash(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/**
 * A signed QR ticket sold after the gate's last sync has no whitelist record; its signed payload says everything
 * the record would, so the gate admits new sales offline. Count limits come from the payload (0 = unlimited).
 */
export function recordFromQr(credential: QrCredential): CredentialRecord {
  return {
    ticketId: credential.ticketId,
    typeId: credential.typeId,
    barcode: null,
    cardUid: null,
    status: 'active',
    validFrom: credential.validFrom,
    validTo: credential.validTo,
    entriesTotal: credential.entries === 0 ? null : credential.entries,
    entriesUsed: 0,
    slot: null,
    // The payload has no head count, but a group code's entries count in persons (one entry each for a group
    // ticket): a group QR with a limited count admits that many persons; one without admits its leader, and staff
    // count the rest.
    persons: (credential.flags & QR_FLAGS.GROUP) !== 0 && credential.entries > 1 ? credential.entries : 1,
  };
}

/** Classifies a scanner line and finds its record: QR by signature then ticket id, barcode by its digits. */
export function resolveScan(
  text: string,
  against: { readonly keyring: PublicKeyLookup; readonly whitelist: CredentialLookup; readonly now: number },
): Resolved {
  const { keyring, whitelist, now } = against;
  const scan = classifyScan(text);
  if (scan.kind === 'unknown') {
    return {
      ok: false,
      kind: null,
      reason: 'MALFORMED',
      ticketId: null,
      codeHash: codeHash(text),
      detail: 'not a ticket code',
    };
  }
  if (scan.kind === 'qr') {
    const hash = codeHash(scan.text);
    const check = checkQrCredential(scan.text, keyring, now);
    if (!check.ok) {
      const reason: DecisionReason = check.code === 'UNSUPPORTED_VERSION' ? 'MALFORMED' : check.code;
      const ticketId = 'credential' in check ? check.credential.ticketId : null;
      return { ok: false, kind: 'qr', reason, ticketId, codeHash: hash, detail: check.message };
    }
    const ticketId = check.credential.ticketId;
    return {
      ok: true,
      kind: 'qr',
      ref: { kind: 'qr', ticketId },
      record: whitelist.byTicketId(ticketId) ?? recordFromQr(check.credential),
      codeHash: hash,
    };
  }
  const hash = codeHash(scan.code);
  const barcode = checkBarcode(scan.code);
  if (!barcode.ok) {
    return {
      ok: false,
      kind: 'barcode',
      reason: 'MALFORMED',
      ticketId: null,
      codeHash: hash,
      detail: barcode.message,
    };
  }
  return {
    ok: true,
    kind: 'barcode',
    ref: { kind: 'barcode', barcode: barcode.barcode },
    record: whitelist.byBarcode(barcode.barcode),
    codeHash: hash,
  };
}

/** Normalises a card UID (refusing random and cascade-level ids) and finds its record. */
export function resolveCard(uid: string, whitelist: CredentialLookup): Resolved {
  const check = checkCardUid(uid);
  if (!check.ok) {
    return {
      ok: false,
      kind: 'card',
      reason: 'MALFORMED',
      ticketId: null,
      codeHash: codeHash(uid.toUpperCase()),
      detail: check.message,
    };
  }
  return {
    ok: true,
    kind: 'card',
    ref: { kind: 'card', cardUid: check.uid },
    record: whitelist.byCardUid(check.uid),
    codeHash: codeHash(check.uid),
  };
}
