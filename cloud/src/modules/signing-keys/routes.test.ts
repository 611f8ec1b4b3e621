import { checkQrCredential, PublicKeyring } from '@scenic/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseBackends } from '../../db/testing.js';
import { type AuthTestApp, createAuthTestApp } from '../../platform/auth/testing.js';
import { GateConfigService } from '../gate-config/service.js';
import { seedGateSite, TYPES } from '../gate-validation/testing.js';
import { TicketTypesService } from '../ticket-types/service.js';
import { VenuesService } from '../venues/service.js';
import { CACHE_MS, SigningKeys } from './keys.js';
import { credentialSecrets } from './secrets.js';

const SECRET = 'test-secret-test-secret-test-secret!';
const visitDate = () => new Date(Date.now() + 2 * 86_400_000).toISOString().slice(0, 10);

describe.each(databaseBackends())('signing keys on $name', (backend) => {
  let env: AuthTestApp;
  let gateConfigs: GateConfigService;

  const call = (
    method: 'GET' | 'POST',
    url: string,
    role: 'admin' | 'cashier' | 'finance' = 'admin',
    payload: object | undefined = method === 'POST' ? { reason: '年度轮换 yearly rotation' } : undefined,
  ) =>
    env.app.inject({
      method,
      url: `/api/v1/credential-keys${url}`,
      headers: env.as(role),
      ...(payload && { payload }),
    });
  let sold = 0;
  /** One adult ticket sold at window W01 by a cashier. */
  const sellOne = () =>
    env.app.inject({
      method: 'POST',
      url: '/api/v1/sales',
      headers: { ...env.as('cashier'), 'idempotency-key': `k${++sold}-${process.pid}-${Date.now()}` },
      payload: {
        siteId: 'park',
        windowId: 'W01',
        lines: [{ typeId: TYPES.adult, quantity: 1, visitDate: visitDate() }],
        payments: [{ method: 'cash', amountFen: 10_000 }],
      },
    });
  /** What gate G01 would verify with: the public keys in its current config. */
  const gateRing = async () => {
    const [entry] = await gateConfigs.sync();
    return { entry: entry!, ring: PublicKeyring.fromEntries(entry!.config.signingKeys) };
  };

  beforeAll(async () => {
    env = await createAuthTestApp(backend, { CREDENTIAL_SECRET: SECRET });
    const db = env.test.database.db;
    await seedGateSite(db, ['G01']);
    gateConfigs = new GateConfigService(db, new TicketTypesService(db, new VenuesService(db)));
  });
  afterAll(() => env.dispose());

  it('lists, rotates and retires keys; a retirement reaches the gates, which then refuse the codes it signed', async () => {
    const db = env.test.database.db;
    const sale = await sellOne();
    expect(sale.statusCode, sale.body).toBe(201);
    const qrText = sale.json().tickets[0].qrText as string;
    // An instant within the ticket's validity, so only the key decides.
    const now = () => (sale.json().tickets[0].validFrom as number) + 60_000;

    // Only administrators manage keys; nobody sees private material.
    expect((await call('GET', '/', 'cashier')).statusCode).toBe(403);
    expect((await call('POST', '/rotate', 'finance')).statusCode).toBe(403);
    const first = await call('GET', '/');
    expect(first.statusCode).toBe(200);
    expect(first.json()).toEqual([
      expect.objectContaining({ keyId: 1, active: true, retired: false, retiredAt: null }),
    ]);
    expect(Object.keys(first.json()[0]).sort()).toEqual([
      'active',
      'createdAt',
      'keyId',
      'liveTickets',
      'publicKey',
      'retired',
      'retiredAt',
    ]);
    expect(first.body).not.toContain('v1:');

    const rotated = await call('POST', '/rotate');
    expect(rotated.statusCode, rotated.body).toBe(201);
    expect(rotated.json()).toMatchObject({ keyId: 2, active: true, retired: false });
    expect(
      (await call('GET', '/')).json().map((k: { keyId: number; active: boolean }) => [k.keyId, k.active]),
    ).toEqual([
      [1, false],
      [2, true],
    ]);
    // New credentials are signed with the new key — the very next sale of this process, although the sales had the
    // old key cached — and the old key still verifies at the gate.
    const afterRotation = await sellOne();
    expect(afterRotation.statusCode, afterRotation.body).toBe(201);
    expect(afterRotation.json().tickets[0].keyId).toBe(2);
    expect(
      (await new SigningKeys(db, () => credentialSecrets({ secret: SECRET, secretFile: '' })).active()).keyId,
    ).toBe(2);
    const during = await gateRing();
    expect(during.entry.config.signingKeys.map((k) => k.keyId)).toEqual([1, 2]);
    expect(checkQrCredential(qrText, during.ring, now())).toMatchObject({ ok: true });

    // The signing key cannot be retired; the replaced one not while instances may still be signing with it.
    expect((await call('POST', '/2/retire')).json().error.code).toBe('SIGNING_KEY_IN_USE');
    const tooSoon = await call('POST', '/1/retire');
    expect(tooSoon.statusCode).toBe(409);
    expect(tooSoon.json().error.code).toBe('SIGNING_KEY_RETIRE_TOO_SOON');
    await db
      .updateTable('signing_keys')
      .set((eb) => ({ created_at: eb('created_at', '-', 2 * CACHE_MS) }))
      .execute();
    const retired = await call('POST', '/1/retire');
    expect(retired.statusCode, retired.body).toBe(200);
    expect(retired.json()).toMatchObject({ keyId: 1, active: false, retired: true });
    expect(typeof retired.json().retiredAt).toBe('number');
    expect((await call('POST', '/1/retire')).json().error.code).toBe('SIGNING_KEY_ALREADY_RETIRED');
    expect((await call('POST', '/99/retire')).statusCode).toBe(404);
    for (const body of [{}, { reason: '' }, { reason: 'x', extra: 1 }]) {
      const response = await call('POST', '/rotate', 'admin', body);
      expect(response.statusCode, JSON.stringify(body)).toBe(400);
      expect(response.json().error.code).toBe('VALIDATION_FAILED');
    }
    for (const bad of ['abc', '256', '-1', '1.5']) {
      const response = await call('POST', `/${bad}/retire`);
      expect(response.statusCode, bad).toBe(400);
      expect(response.json().error.code).toBe('VALIDATION_FAILED');
    }

    // The gate's next config drops the key, and the ticket it signed is refused.
    const after = await gateRing();
    expect(after.entry.changed).toBe(true);
    expect(after.entry.config.version).toBe(during.entry.config.version + 1);
    expect(after.entry.config.signingKeys.map((k) => k.keyId)).toEqual([2]);
    expect(checkQrCredential(qrText, after.ring, now())).toMatchObject({ ok: false, code: 'UNKNOWN_KEY' });

    // A retired id is never handed out again.
    const next = await call('POST', '/rotate');
    expect(next.json().keyId).toBe(3);
    const actions = await db
      .selectFrom('audit_log')
      .select(['action', 'entity_id'])
      .where('entity', '=', 'signing_key')
      .orderBy('seq')
      .execute();
    expect(actions).toEqual([
      { action: 'signing_key.rotate', entity_id: '2' },
      { action: 'signing_key.retire', entity_id: '1' },
      { action: 'signing_key.rotate', entity_id: '3' },
    ]);
  });

  it('re-issues the live tickets of a key with the current key, before or after it is retired; retiring counts them', async () => {
    const db = env.test.database.db;
    const keyOf = async () =>
      (await call('GET', '/')).json() as { keyId: number; active: boolean; liveTickets: number }[];
    const signer = (await keyOf()).find((k) => k.active)!.keyId;
    const sales = [await sellOne(), await sellOne(), await sellOne()].map((r) => r.json());
    const ids = sales.map((sale) => sale.tickets[0].ticketId as number);
    // One of them is refunded: nothing to save there.
    await db.updateTable('tickets').set({ status: 'refunded' }).where('id', '=', ids[2]!).execute();
    expect((await keyOf()).find((k) => k.keyId === signer)!.liveTickets).toBeGreaterThanOrEqual(2);
    // The signing key has nothing newer to be re-signed with.
    expect((await call('POST', `/${signer}/reissue-tickets`)).json().error.code).toBe('SIGNING_KEY_IN_USE');
    expect((await call('POST', '/98/reissue-tickets')).statusCode).toBe(404);
    expect((await call('POST', `/${signer}/reissue-tickets`, 'cashier')).statusCode).toBe(403);

    const next = (await call('POST', '/rotate')).json().keyId as number;
    const before = (await keyOf()).find((k) => k.keyId === signer)!.liveTickets;
    const reissue = await call('POST', `/${signer}/reissue-tickets`);
    expect(reissue.statusCode, reissue.body).toBe(200);
    expect(reissue.json()).toEqual({ keyId: signer, signingKeyId: next, reissued: before });
    expect((await keyOf()).find((k) => k.keyId === signer)!.liveTickets).toBe(0);

    // The sale shows (and prints) the new code, which verifies with the new key alone; the refunded one kept its own.
    const ring = PublicKeyring.fromEntries(
      (await keyOf())
        .filter((k) => k.keyId === next)
        .map((k) => ({ keyId: k.keyId, publicKey: (k as unknown as { publicKey: string }).publicKey })),
    );
    const again = await env.app.inject({
      method: 'GET',
      url: `/api/v1/sales/${sales[0].id}`,
      headers: env.as('admin'),
    });
    const ticket = again.json().tickets[0];
    expect(ticket.keyId).toBe(next);
    expect(ticket.qrText).not.toBe(sales[0].tickets[0].qrText);
    expect(checkQrCredential(ticket.qrText, ring, ticket.validFrom + 60_000)).toMatchObject({ ok: true });
    const refunded = await db
      .selectFrom('tickets')
      .select('key_id')
      .where('id', '=', ids[2]!)
      .executeTakeFirstOrThrow();
    expect(refunded.key_id).toBe(signer);

    // Nothing left the second time; the audit names every ticket re-issued.
    expect((await call('POST', `/${signer}/reissue-tickets`)).json().reissued).toBe(0);
    const audit = await db
      .selectFrom('audit_log')
      .select('after_json')
      .where('action', '=', 'signing_key.reissue_tickets')
      .where('entity_id', '=', String(signer))
      .execute();
    const audited = audit.flatMap((row) => JSON.parse(row.after_json!).ticketIds as number[]);
    expect(audited).toEqual(expect.arrayContaining([ids[0], ids[1]]));
    expect(audited).toHaveLength(before);
  });

  it('parallel rotations each get their own key id; exactly one key signs afterwards', async () => {
    const responses = await Promise.all(Array.from({ length: 6 }, () => call('POST', '/rotate')));
    expect(responses.map((r) => r.statusCode)).toEqual(Array(6).fill(201));
    const ids = responses.map((r) => r.json().keyId as number);
    expect(new Set(ids).size).toBe(6);
    const keys = (await call('GET', '/')).json() as { keyId: number; active: boolean }[];
    expect(keys.filter((k) => k.active)).toHaveLength(1);
    expect(new Set(keys.map((k) => k.keyId)).size).toBe(keys.length);
  });
});
