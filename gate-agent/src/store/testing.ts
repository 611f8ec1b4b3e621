import type { CredentialRecord } from '@scenic/protocol';

/** A whitelist record with test defaults: active, valid 2024–2030, unlimited, one person. */
export function testRecord(ticketId: number, fields: Partial<CredentialRecord> = {}): CredentialRecord {
  return {
    ticketId,
    typeId: 1,
    barcode: null,
    cardUid: null,
    status: 'active',
    validFrom: Date.UTC(2024, 0, 1),
    validTo: Date.UTC(2030, 0, 1),
    entriesTotal: null,
    entriesUsed: 0,
    slot: null,
    persons: 1,
    ...fields,
  };
}
