import type { CredentialRecord, CredentialStatus } from '@scenic/protocol';

/** A whitelist row as SQLite returns it. */
export interface RecordRow {
  ticket_id: number;
  type_id: number;
  barcode: string | null;
  card_uid: string | null;
  status: string;
  valid_from: number;
  valid_to: number;
  entries_total: number | null;
  entries_used: number;
  slot_start: number | null;
  slot_end: number | null;
  persons: number;
  /** JSON of the record's optional usage fields (USAGE_FIELDS), or null. */
  usage: string | null;
}

/** The record's optional fields about its use so far, kept together in the `usage` column. */
const USAGE_FIELDS = [
  'activation',
  'firstEntryAt',
  'visitDaysUsed',
  'lastEntryAt',
  'lastExitAt',
  'lastVisitAt',
] as const satisfies readonly (keyof CredentialRecord)[];

export const RECORD_COLUMNS =
  'ticket_id, type_id, barcode, card_uid, status, valid_from, valid_to, entries_total, entries_used, slot_start, slot_end, persons, usage';
export const RECORD_PLACEHOLDERS = '?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?';

export function recordFromRow(row: RecordRow): CredentialRecord {
  return {
    ticketId: row.ticket_id,
    typeId: row.type_id,
    barcode: row.barcode,
    cardUid: row.card_uid,
    status: row.status as CredentialStatus,
    validFrom: row.valid_from,
    validTo: row.valid_to,
    entriesTotal: row.entries_total,
    entriesUsed: row.entries_used,
    slot:
      row.slot_start === null || row.slot_end === null ? null : { start: row.slot_start, end: row.slot_end },
    persons: row.persons,
    ...(row.usage === null ? {} : (JSON.parse(row.usage) as Partial<CredentialRecord>)),
  };
}

function usageOf(r: CredentialRecord): string | null {
  const usage: Record<string, unknown> = {};
  let any = false;
  for (const field of USAGE_FIELDS) {
    if (r[field] === undefined) continue;
    usage[field] = r[field];
    any = true;
  }
  return any ? JSON.stringify(usage) : null;
}

/** Positional parameters in RECORD_COLUMNS order. */
export function rowParams(r: CredentialRecord): unknown[] {
  return [
    r.ticketId,
    r.typeId,
    r.barcode,
    r.cardUid,
    r.status,
    r.validFrom,
    r.validTo,
    r.entriesTotal,
    r.entriesUsed,
    r.slot?.start ?? null,
    r.slot?.end ?? null,
    r.persons,
    usageOf(r),
  ];
}
