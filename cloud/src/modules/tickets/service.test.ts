import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkQrCredential, credentialRecordSchema, PublicKeyring } from '@scenic/protocol';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { databaseBackends, type TestDatabase } from '../../db/testing.js';
import { auditedTransaction } from '../../platform/audit/record.js';
import { AppError } from '../../platform/errors.js';
import { dayOfIsoDate } from '../capacity/local-time.js';
import { isAllowedKeyId, SigningKeys } from '../signing-keys/keys.js';
import { CredentialSecrets } from '../signing-keys/secrets.js';
import { TicketsService, type TicketToIssue } from './service.js';
import { seedVenue, TYPES } from './testing.js';

const secrets = new CredentialSecrets(Buffer.alloc(32, 7));
const DAY = dayOfIsoDate('2026-12-01')!;

function ticket(overrides: Partial<TicketToIssue> = {}): TicketToIssue {
  return {
    siteId: 'park',
    typeId: TYPES.adult,
    typeVersion: 1,
    saleId: null,
    saleLine: null,
    visitDay: DAY,
    validFrom: Date.UTC(2026, 10, 30, 16),
    validTo: Date.UTC(2026, 11, 1, 16),
    entriesTotal: 1,
    persons: 1,
    slot: null,
    holder: null,
    priceFen: 10_000,
    flags: 0,
    ...overrides,
  };
}

describe('key ids', () => {
  it('never allocates ids whose QR text would start with a space', () => {
    const refused = Array.from({ length: 256 }, (_, id) => id).filter((id) => !isAllowedKeyId(id));
    expect(refused).toEqual([5, 50, 95, 140, 185, 230]);
  });
});

describe('credential secrets', () => {
  it('creates the key file once with mode 0600 and reads it back', () => {
    const folder = mkdtempSync(join(tmpdir(), 'scenic-secret-'));
    try {
      const path = join(folder, 'sub', 'credential-secret.key');
      const first = CredentialSecrets.load({ secret: undefined, secretFile: path });
      const content = readFileSync(path, 'utf8');
      expect(statSync(path).mode & 0o777).toBe(0o600);
      const second = CredentialSecrets.load({ secret: undefined, secretFile: path });
      expect(readFileSync(path, 'utf8')).toBe(content);
      expect(second.decrypt(first.encrypt(Buffer.from('seed'), 'k:1'), 'k:1').toString()).toBe('seed');
      expect(first.idHash('110101199003074514')).toBe(second.idHash('110101199003074514'));
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });

  it('refuses a ciphertext under another secret or moved to another key id', () => {
    const sealed = secrets.encrypt(Buffer.from('seed'), 'signing-key:1');
    expect(() => secrets.decrypt(sealed, 'signing-key:2')).toThrow(AppError);
    expect(() => new CredentialSecrets(Buffer.alloc(32, 8)).decrypt(sealed, 'signing-key:1')).toThrow(
      AppError,
    );
  });
});

describe.each(databaseBackends())('tickets on $name', (backend) => {
  let test: TestDatabase;
  let tickets: TicketsService;
  let keys: SigningKeys;
  let now: number;

  beforeEach(async () => {
    test = await backend.create();
    now = Date.UTC(2026, 10, 20);
    tickets = new TicketsService(test.database.db, () => now);
    keys = new SigningKeys(test.database.db, () => secrets);
    await seedVenue(test.database.db);
  });
  afterEach(() => test.dispose());

  it('creates one signing key on first use, encrypted at rest, also when asked in parallel', async () => {
    // The instance that made it says so once (the gate configs are published then); the other made none.
    const made: string[] = [];
    const other = new SigningKeys(test.database.db, () => secrets);
    keys.onFirstKey(() => made.push('keys'));
    other.onFirstKey(() => made.push('other'));
    const [a, b] = await Promise.all([keys.active(), other.active()]);
    expect(a.keyId).toBe(1);
    expect(b.keyId).toBe(1);
    expect(made).toHaveLength(1);
    keys.forget();
    await keys.active();
    expect(made).toHaveLength(1);
    const rows = await test.database.db.selectFrom('signing_keys').selectAll().execute();
    expect(rows).toHaveLength(1);
    expect(rows[0]!.private_key_enc).toMatch(/^v1:/);
    expect((await keys.publicKeys())[0]).toMatchObject({ keyId: 1, status: 'active' });
  });

  it('issues signed tickets with consecutive feed versions and a consistent snapshot', async () => {
    const signer = await keys.active();
    const issued = await auditedTransaction(test.database.db, (trx) =>
      tickets.issue(trx, [ticket(), ticket({ entriesTotal: 10, typeId: TYPES.count })], signer),
    );
    expect(issued).toHaveLength(2);
    const ring = new PublicKeyring();
    ring.add(signer.keyId, signer.publicKey);
    const check = checkQrCredential(issued[0]!.qr_text!, ring, Date.UTC(2026, 11, 1, 4));
    expect(check.ok && check.credential.ticketId).toBe(issued[0]!.id);
    expect(issued[0]!.qr_text!.startsWith(' ')).toBe(false);

    await auditedTransaction(test.database.db, (trx) =>
      tickets.change(trx, issued[1]!.id, 'use', { entriesUsed: 1 }),
    );
    await auditedTransaction(test.database.db, (trx) =>
      tickets.change(
        trx,
        issued[0]!.id,
        'refund',
        { status: 'refunded' },
        {
          allowedFrom: ['active'],
          action: { 'zh-CN': '退票', en: 'refunded' },
        },
      ),
    );
    const refundAgain = auditedTransaction(test.database.db, (trx) =>
      tickets.change(
        trx,
        issued[0]!.id,
        'refund',
        { status: 'refunded' },
        {
          allowedFrom: ['active'],
          action: { 'zh-CN': '退票', en: 'refunded' },
        },
      ),
    );
    await expect(refundAgain).rejects.toMatchObject({ code: 'TICKET_STATE_CONFLICT' });

    const feed = await tickets.feedSince('park', 0, 100);
    expect(feed.headVersion).toBe(4);
    expect(feed.entries.map((e) => [e.version, e.op])).toEqual([
      [1, 'issue'],
      [2, 'issue'],
      [3, 'use'],
      [4, 'refund'],
    ]);
    for (const entry of feed.entries) credentialRecordSchema.parse(entry.record);
    expect((await tickets.feedSince('park', 3, 100)).entries.map((e) => e.version)).toEqual([4]);

    const snapshot = await tickets.snapshot('park');
    expect(snapshot.version).toBe(4);
    const byId = new Map(snapshot.records.map((r) => [r.ticketId, r]));
    expect(byId.get(issued[0]!.id)!.status).toBe('refunded');
    expect(byId.get(issued[1]!.id)!.entriesUsed).toBe(1);
    now = Date.UTC(2026, 11, 2);
    expect((await tickets.snapshot('park')).records).toEqual([]);
  });

  it('keeps versions consecutive under parallel writers', async () => {
    const signer = await keys.active();
    await Promise.all(
      Array.from({ length: 20 }, () =>
        auditedTransaction(test.database.db, (trx) => tickets.issue(trx, [ticket(), ticket()], signer)),
      ),
    );
    const feed = await tickets.feedSince('park', 0, 1000);
    expect(feed.entries.map((e) => e.version)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
    expect(new Set(feed.entries.map((e) => e.ticketId)).size).toBe(40);
  });
});
