/**
 * Webhooks against a real receiver: a node:http server on a free port plays the partner. It answers 500 first, then
 * takes the event but hangs past the worker's timeout, then answers 200; it verifies every signature and
 * deduplicates by the event id, as partners are told to. The partner must end up with the event exactly once, the
 * delivery log must show the three attempts, and nothing more may be sent after the success.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { eventually } from '@scenic/testkit/eventually';
import { freePort } from '@scenic/testkit/free-port';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseBackends } from '../../db/testing.js';
import { transaction } from '../../db/transaction.js';
import { silentLogger } from '../../testing/app.js';
import { type ChannelTestApp, createChannelTestApp } from '../channel-keys/testing.js';
import { verifySignature } from './signature.js';
import { WebhookWorker, type WebhookWorkerSettings } from './worker.js';

const SETTINGS: WebhookWorkerSettings = {
  pollMs: 20,
  timeoutMs: 300,
  baseDelayMs: 50,
  maxDelayMs: 200,
  maxAttempts: 4,
  batch: 10,
  retentionMs: 30 * 86_400_000,
  pruneEveryMs: 3_600_000,
};

type Behaviour = 'fail' | 'take-and-hang' | 'ok';

interface Receiver {
  readonly url: string;
  /** Every request as it arrived: its event id and whether its signature held. */
  readonly requests: { eventId: string; signed: boolean; body: string }[];
  /** Events taken, by id: the partner's own deduplication. */
  readonly taken: Map<string, unknown>;
  secret: string;
  close(): Promise<void>;
}

async function startReceiver(script: (n: number) => Behaviour): Promise<Receiver> {
  const port = await freePort();
  const requests: Receiver['requests'] = [];
  const taken = new Map<string, unknown>();
  const receiver: Receiver = { url: `http://127.0.0.1:${port}/hooks`, requests, taken, secret: '', close };
  const server: Server = createServer((request: IncomingMessage, response: ServerResponse) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const eventId = String(request.headers['webhook-id']);
      const signed = verifySignature(
        receiver.secret,
        {
          timestamp: String(request.headers['webhook-timestamp']),
          signature: String(request.headers['webhook-signature']),
        },
        body,
        Math.floor(Date.now() / 1_000),
      );
      requests.push({ eventId, signed, body });
      const behaviour = script(requests.length);
      if (behaviour === 'fail') {
        response.writeHead(500).end('down');
        return;
      }
      if (signed && !taken.has(eventId)) taken.set(eventId, JSON.parse(body));
      if (behaviour === 'ok') response.writeHead(200).end('ok');
      // take-and-hang: the event was taken, but the answer never comes within the sender's timeout.
    });
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  async function close() {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
  return receiver;
}

describe.each(databaseBackends())('webhooks on $name', (backend) => {
  let env: ChannelTestApp;
  let worker: WebhookWorker;
  const receivers: Receiver[] = [];

  beforeAll(async () => {
    env = await createChannelTestApp(backend);
    worker = new WebhookWorker(env.test.database.db, env.services.webhooks, silentLogger, SETTINGS);
  });
  afterAll(async () => {
    await worker.stop();
    for (const receiver of receivers) await receiver.close();
    await env.dispose();
  });

  const admin = (method: 'GET' | 'POST', url: string, payload?: object) =>
    env.app.inject({
      method,
      url: `/api/v1/webhooks${url}`,
      headers: env.as('admin'),
      ...(payload && { payload }),
    });

  async function endpointFor(receiver: Receiver, events = ['booking.cancelled', 'booking.redeemed']) {
    const key = await env.createKey();
    const created = await admin('POST', '/endpoints', { keyId: key.id, url: receiver.url, events });
    expect(created.statusCode, created.body).toBe(201);
    receiver.secret = created.json().secret;
    expect(receiver.secret).toMatch(/^whsec_/);
    return { keyId: key.id, endpointId: created.json().endpoint.id as string };
  }

  const enqueue = (keyId: string, type: 'booking.cancelled' | 'booking.refunded' = 'booking.cancelled') =>
    transaction(env.test.database.db, (trx) =>
      env.services.webhooks.enqueue(trx, {
        type,
        keyId,
        data: { reference: 'PARTNER-1', status: 'CANCELLED' },
      }),
    );

  const deliveriesOf = async (query: string) => {
    const page = await admin('GET', `/deliveries?${query}`);
    expect(page.statusCode, page.body).toBe(200);
    return page.json();
  };

  it('500, then a timeout, then 200: the partner has the event once, the log three attempts, nothing after', async () => {
    const script: Behaviour[] = ['fail', 'take-and-hang', 'ok'];
    const receiver = await startReceiver((n) => script[n - 1] ?? 'ok');
    receivers.push(receiver);
    const { keyId, endpointId } = await endpointFor(receiver);
    const eventId = await enqueue(keyId);
    // An event of a type the endpoint did not subscribe to, and one whose transaction rolled back: neither is sent.
    await enqueue(keyId, 'booking.refunded');
    await expect(
      transaction(env.test.database.db, async (trx) => {
        await env.services.webhooks.enqueue(trx, { type: 'booking.cancelled', keyId, data: {} });
        throw new Error('the change failed');
      }),
    ).rejects.toThrow('the change failed');

    worker.start();
    const [delivery] = await eventually(async () => {
      const page = await deliveriesOf(`endpointId=${endpointId}`);
      return page.items[0]?.status === 'delivered' ? page.items : undefined;
    }, 10_000);
    // Long enough for several more rounds and back-offs: nothing else may go out.
    await new Promise((resolve) => setTimeout(resolve, 600));

    expect(receiver.requests.map((r) => r.eventId)).toEqual([eventId, eventId, eventId]);
    expect(receiver.requests.every((r) => r.signed)).toBe(true);
    expect([...receiver.taken.keys()]).toEqual([eventId]);
    expect(receiver.taken.get(eventId)).toMatchObject({
      id: eventId,
      type: 'booking.cancelled',
      data: { reference: 'PARTNER-1', status: 'CANCELLED' },
    });
    const page = await deliveriesOf(`endpointId=${endpointId}`);
    expect(page.total).toBe(1);
    expect(page.items[0]).toMatchObject({
      id: delivery.id,
      eventId,
      eventType: 'booking.cancelled',
      status: 'delivered',
      attempts: 3,
      nextAttemptAt: null,
    });
    expect(page.items[0].log).toEqual([
      expect.objectContaining({ attempt: 1, statusCode: 500, error: 'HTTP 500' }),
      expect.objectContaining({
        attempt: 2,
        statusCode: null,
        error: `timeout after ${SETTINGS.timeoutMs} ms`,
      }),
      expect.objectContaining({ attempt: 3, statusCode: 200, error: null }),
    ]);
    expect(page.items[0].log[1].durationMs).toBeGreaterThanOrEqual(SETTINGS.timeoutMs - 20);

    // A manual redelivery sends the same event id again (audited); the partner still has it once.
    const redelivered = await admin('POST', `/deliveries/${delivery.id}/redeliver`, {
      reason: 'partner asked',
    });
    expect(redelivered.statusCode, redelivered.body).toBe(200);
    await eventually(() => (receiver.requests.length === 4 ? true : undefined));
    expect(receiver.requests[3]!.eventId).toBe(eventId);
    expect(receiver.taken.size).toBe(1);
    await eventually(async () => {
      const [again] = (await deliveriesOf(`eventId=${eventId}`)).items;
      return again.status === 'delivered' && again.attempts === 4 ? true : undefined;
    });
    const audit = await env.test.database.db
      .selectFrom('audit_log')
      .select('action')
      .where('entity_id', '=', delivery.id)
      .execute();
    expect(audit.map((a) => a.action)).toEqual(['webhook_delivery.redeliver']);
  }, 30_000);

  it('a partner’s real booking events (cancelled, refunded, redeemed) reach it once each through 500, timeout, 200', async () => {
    const admin2 = async (method: string, url: string, payload?: object) => {
      const response = await env.app.inject({
        method: method as 'GET',
        url,
        headers: env.as('admin'),
        ...(payload && { payload }),
      });
      expect(response.statusCode, `${method} ${url} ${response.body}`).toBeLessThan(300);
      return response.body ? response.json() : undefined;
    };
    await admin2('POST', '/api/v1/ticket-types', {
      typeId: 130,
      siteId: 'park',
      code: 'HOOKS',
      name: { zh: '回调成人', en: 'Hook adult' },
      kind: 'single',
      prices: { window: 10_000, agency: 8_000 },
    });
    const agency = await admin2('POST', '/api/v1/agencies', {
      name: 'Hook Travel',
      licenceNo: 'L-HOOKS',
      paymentMode: 'prepaid',
    });
    await admin2('PUT', `/api/v1/agencies/${agency.id}/types/130`, { priceFen: 7_000 });
    await admin2('POST', `/api/v1/agencies/${agency.id}/top-ups`, { amountFen: 1_000_000 });
    await admin2('POST', '/api/v1/sites/park/windows', {
      id: 'W01',
      name: { zh: '一号窗口', en: 'Window 1' },
    });
    await admin2('POST', '/api/v1/sites/park/zones', { id: 'main', name: { zh: '主区', en: 'Main' } });
    await admin2('POST', '/api/v1/sites/park/gates', {
      id: 'G1',
      zoneId: 'main',
      direction: 'in',
      kind: 'tripod',
      name: { zh: '一号闸', en: 'Gate 1' },
    });
    // The partner's first answer fails, its second takes the event but hangs past the timeout, then all succeed.
    const receiver = await startReceiver((n) => (n === 1 ? 'fail' : n === 2 ? 'take-and-hang' : 'ok'));
    receivers.push(receiver);
    const key = await env.createKey({ name: 'Hook Travel', channel: 'agency', agencyId: agency.id });
    const created = await admin('POST', '/endpoints', {
      keyId: key.id,
      url: receiver.url,
      events: ['booking.cancelled', 'booking.refunded', 'booking.redeemed'],
    });
    expect(created.statusCode, created.body).toBe(201);
    receiver.secret = created.json().secret;
    const endpointId = created.json().endpoint.id as string;
    const partner = async (url: string, payload?: object) => {
      const response = await env.app.inject({
        method: 'POST',
        url: `/api/channel/v1${url}`,
        headers: { 'x-api-key': key.secret },
        payload: payload ?? {},
      });
      expect(response.statusCode, response.body).toBeLessThan(300);
      return response.json();
    };
    const visitDate = new Date(Date.now() + 8 * 3_600_000 + 5 * 86_400_000).toISOString().slice(0, 10);
    const book = (reference: string) =>
      partner('/bookings', { siteId: 'park', reference, visitDate, lines: [{ typeId: 130, quantity: 3 }] });
    const cancelled = await book('HOOK-1');
    await partner(`/bookings/${cancelled.id}/confirm`);
    await partner(`/bookings/${cancelled.id}/cancel`, { reason: 'weather' });
    const used = await book('HOOK-2');
    await partner(`/bookings/${used.id}/confirm`);
    const picked = await admin2('POST', `/api/v1/group-orders/${used.id}/pick-up`, {
      windowId: 'W01',
      issue: 'group',
    });
    const stored = await env.services.passages.ingest({
      siteId: 'park',
      gateId: 'G1',
      message: {
        type: 'passage',
        v: 1,
        eventId: `hook-passage-${process.pid}-${Date.now()}`,
        gateId: 'G1',
        at: Date.now(),
        ticketId: picked.tickets[0].ticketId,
        credentialKind: 'qr',
        direction: 'in',
        persons: 3,
        entriesLeft: null,
        decidedOffline: false,
        correlationId: null,
      },
      receivedAt: Date.now(),
    });
    expect(stored.status).toBe('applied');

    worker.start();
    const delivered = await eventually(async () => {
      const page = await deliveriesOf(`endpointId=${endpointId}`);
      return page.total === 3 && page.items.every((d: { status: string }) => d.status === 'delivered')
        ? page.items
        : undefined;
    }, 15_000);
    await new Promise((resolve) => setTimeout(resolve, 400));
    const eventIds = delivered.map((d: { eventId: string }) => d.eventId).sort();
    expect(new Set(eventIds).size).toBe(3);
    // Retries carried the same event ids; the partner, deduplicating by them, took each event exactly once.
    expect(receiver.requests.length).toBeGreaterThan(3);
    expect([...new Set(receiver.requests.map((r) => r.eventId))].sort()).toEqual(eventIds);
    expect([...receiver.taken.keys()].sort()).toEqual(eventIds);
    expect(receiver.requests.every((r) => r.signed)).toBe(true);
    const taken = [...receiver.taken.values()] as { type: string; data: Record<string, unknown> }[];
    expect(taken.map((e) => e.type).sort()).toEqual([
      'booking.cancelled',
      'booking.redeemed',
      'booking.refunded',
    ]);
    expect(taken.find((e) => e.type === 'booking.cancelled')!.data).toMatchObject({
      bookingId: cancelled.id,
      reference: 'HOOK-1',
      status: 'CANCELLED',
      reason: 'weather',
    });
    expect(taken.find((e) => e.type === 'booking.refunded')!.data).toMatchObject({
      bookingId: cancelled.id,
      refund: 'cancellation_credit',
      amountFen: 21_000,
    });
    expect(taken.find((e) => e.type === 'booking.redeemed')!.data).toMatchObject({
      bookingId: used.id,
      reference: 'HOOK-2',
      status: 'REDEEMED',
      persons: 3,
      personsRedeemed: 3,
      personsLeft: 0,
    });
  }, 40_000);

  it('gives up after the maximum attempts, backing off between them; a revoked key’s events are not sent', async () => {
    const receiver = await startReceiver(() => 'fail');
    receivers.push(receiver);
    const { keyId, endpointId } = await endpointFor(receiver);
    await enqueue(keyId);
    worker.start();
    const [failed] = await eventually(async () => {
      const page = await deliveriesOf(`endpointId=${endpointId}&status=failed`);
      return page.items.length ? page.items : undefined;
    }, 10_000);
    expect(failed.attempts).toBe(SETTINGS.maxAttempts);
    const gaps = failed.log.slice(1).map((a: { at: number }, i: number) => a.at - failed.log[i].at);
    // 50, 100, 200 ms of back-off (the cap), each after the previous attempt's duration.
    expect(gaps[0]).toBeGreaterThanOrEqual(50);
    expect(gaps[2]).toBeGreaterThanOrEqual(200);
    expect(receiver.requests).toHaveLength(SETTINGS.maxAttempts);

    const revokedReceiver = await startReceiver(() => 'ok');
    receivers.push(revokedReceiver);
    const revoked = await endpointFor(revokedReceiver);
    const revoke = await env.app.inject({
      method: 'POST',
      url: `/api/v1/channel-keys/${revoked.keyId}/revoke`,
      headers: env.as('admin'),
      payload: { reason: 'ended' },
    });
    expect(revoke.statusCode).toBe(200);
    await enqueue(revoked.keyId);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(revokedReceiver.requests).toEqual([]);
  }, 30_000);

  it('removes events past their retention that nothing waits to send, with their deliveries and attempts', async () => {
    // The delivering worker of the tests before must not send (and so re-mark) the deliveries set up here.
    await worker.stop();
    const receiver = await startReceiver(() => 'ok');
    receivers.push(receiver);
    const { keyId } = await endpointFor(receiver);
    const db = env.test.database.db;
    const day = 86_400_000;
    const now = Date.now();
    const pruner = new WebhookWorker(db, env.services.webhooks, silentLogger, {
      ...SETTINGS,
      retentionMs: day,
    });
    // Old and delivered, old and given up, old but still pending, and recent: only the first two may go.
    const [delivered, failed, pending, recent] = [
      await enqueue(keyId),
      await enqueue(keyId),
      await enqueue(keyId),
      await enqueue(keyId),
    ];
    const old = now - 2 * day;
    await db
      .updateTable('webhook_events')
      .set({ created_at: old })
      .where('id', 'in', [delivered, failed, pending])
      .execute();
    const setStatus = (eventId: string, status: 'delivered' | 'failed' | 'pending') =>
      db
        .updateTable('webhook_deliveries')
        .set({ status, next_attempt_at: now + 10 * day })
        .where('event_id', '=', eventId)
        .execute();
    await setStatus(delivered, 'delivered');
    await setStatus(failed, 'failed');
    await setStatus(pending, 'pending');
    await setStatus(recent, 'delivered');
    const deliveryOf = async (eventId: string) =>
      (
        await db
          .selectFrom('webhook_deliveries')
          .select('id')
          .where('event_id', '=', eventId)
          .executeTakeFirstOrThrow()
      ).id;
    await db
      .insertInto('webhook_attempts')
      .values({
        delivery_id: await deliveryOf(delivered),
        attempt: 1,
        at: old,
        status_code: 200,
        error: null,
        duration_ms: 5,
      })
      .execute();

    expect(await pruner.prune(now)).toBe(2);
    const left = await db
      .selectFrom('webhook_events')
      .select('id')
      .where('id', 'in', [delivered, failed, pending, recent])
      .execute();
    expect(left.map((row) => row.id).sort()).toEqual([pending, recent].sort());
    const deliveries = await db
      .selectFrom('webhook_deliveries')
      .select('event_id')
      .where('event_id', 'in', [delivered, failed])
      .execute();
    expect(deliveries).toEqual([]);
    const attempts = await db
      .selectFrom('webhook_attempts as a')
      .innerJoin('webhook_deliveries as d', 'd.id', 'a.delivery_id')
      .select('a.attempt')
      .where('d.event_id', '=', delivered)
      .execute();
    expect(attempts).toEqual([]);
    expect(await pruner.prune(now)).toBe(0);
  });

  it('a rotated secret: both signatures during the grace period, then only the new one; no secret in the audit', async () => {
    const receiver = await startReceiver(() => 'ok');
    receivers.push(receiver);
    const { keyId, endpointId } = await endpointFor(receiver);
    const original = receiver.secret;
    const rotate = async (graceHours: number) => {
      const rotated = await admin('POST', `/endpoints/${endpointId}/rotate-secret`, {
        reason: 'yearly rotation',
        graceHours,
      });
      expect(rotated.statusCode, rotated.body).toBe(200);
      return rotated.json() as { secret: string; endpoint: { previousSecretUntil: number | null } };
    };
    // The partner verifies with `secret`: is the next event's request accepted?
    const acceptedWith = async (secret: string) => {
      receiver.secret = secret;
      const before = receiver.requests.length;
      await enqueue(keyId);
      await eventually(() => (receiver.requests.length > before ? true : undefined), 10_000);
      return receiver.requests.at(-1)!.signed;
    };
    worker.start();

    const first = await rotate(1);
    expect(first.secret).toMatch(/^whsec_/);
    expect(first.secret).not.toBe(original);
    expect(first.endpoint.previousSecretUntil).toBeGreaterThan(Date.now());
    // A partner that has not switched yet, and one that has: both accept.
    expect(await acceptedWith(original)).toBe(true);
    expect(await acceptedWith(first.secret)).toBe(true);

    const second = await rotate(0);
    expect(second.endpoint.previousSecretUntil).toBeNull();
    expect(await acceptedWith(first.secret)).toBe(false);
    expect(await acceptedWith(original)).toBe(false);
    expect(await acceptedWith(second.secret)).toBe(true);

    const audit = await env.test.database.db
      .selectFrom('audit_log')
      .select(['action', 'after_json'])
      .where('entity_id', '=', endpointId)
      .where('action', '=', 'webhook_endpoint.rotate_secret')
      .execute();
    expect(audit).toHaveLength(2);
    for (const secret of [original, first.secret, second.secret])
      expect(JSON.stringify(audit)).not.toContain(secret.slice(6));
    // A disabled endpoint is not rotated.
    await admin('POST', `/endpoints/${endpointId}/disable`, { reason: 'ended' });
    const refused = await admin('POST', `/endpoints/${endpointId}/rotate-secret`, { reason: 'late' });
    expect([refused.statusCode, refused.json().error.code]).toEqual([409, 'WEBHOOK_ENDPOINT_DISABLED']);
  }, 40_000);

  it('an agency’s endpoint receives the events of each of its keys', async () => {
    const receiver = await startReceiver(() => 'ok');
    receivers.push(receiver);
    const created = await admin('POST', '/endpoints', {
      agencyId: 'AG-WEBHOOK',
      url: receiver.url,
      events: ['booking.cancelled'],
    });
    expect(created.statusCode, created.body).toBe(201);
    expect(created.json().endpoint).toMatchObject({ keyId: null, agencyId: 'AG-WEBHOOK' });
    receiver.secret = created.json().secret;
    const first = await env.createKey({ channel: 'agency', agencyId: 'AG-WEBHOOK' });
    const second = await env.createKey({ channel: 'agency', agencyId: 'AG-WEBHOOK' });
    const other = await env.createKey({ channel: 'agency', agencyId: 'AG-OTHER' });
    const ids = [await enqueue(first.id), await enqueue(second.id)];
    await enqueue(other.id);
    worker.start();
    await eventually(() => (receiver.taken.size === 2 ? true : undefined), 10_000);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect([...receiver.taken.keys()].sort()).toEqual(ids.sort());
    expect(receiver.requests.every((r) => r.signed)).toBe(true);
    const both = await admin('POST', '/endpoints', {
      keyId: first.id,
      agencyId: 'AG-WEBHOOK',
      url: receiver.url,
      events: ['booking.cancelled'],
    });
    expect(both.statusCode).toBe(400);
  }, 30_000);

  it('manages endpoints: secret shown once and stored encrypted, only for an active key, disabling audited', async () => {
    const receiver = await startReceiver(() => 'ok');
    receivers.push(receiver);
    const { endpointId } = await endpointFor(receiver);
    const row = await env.test.database.db
      .selectFrom('webhook_endpoints')
      .selectAll()
      .where('id', '=', endpointId)
      .executeTakeFirstOrThrow();
    expect(JSON.stringify(row)).not.toContain(receiver.secret.slice(6));
    const list = await admin('GET', '/endpoints');
    expect(list.body).not.toContain(receiver.secret.slice(6));
    const unknownKey = await admin('POST', '/endpoints', {
      keyId: 'ck_00000000000000000000',
      url: receiver.url,
      events: ['booking.redeemed'],
    });
    expect(unknownKey.json().error.code).toBe('NOT_FOUND');
    const badUrl = await admin('POST', '/endpoints', {
      keyId: 'ck_00000000000000000000',
      url: 'ftp://example.com/x',
      events: ['booking.redeemed'],
    });
    expect(badUrl.statusCode).toBe(400);
    const disabled = await admin('POST', `/endpoints/${endpointId}/disable`, { reason: 'moved' });
    expect(disabled.json()).toMatchObject({ status: 'disabled' });
    expect(
      (await admin('POST', `/endpoints/${endpointId}/disable`, { reason: 'again' })).json().error.code,
    ).toBe('WEBHOOK_ENDPOINT_DISABLED');
    const cashier = await env.app.inject({
      method: 'GET',
      url: '/api/v1/webhooks/deliveries',
      headers: env.as('cashier'),
    });
    expect(cashier.statusCode).toBe(403);
  });
});
