/** The SQL of the webhook endpoints, events, deliveries and attempts. */
import { transaction } from '../../db/transaction.js';
import type {
  DeliveryListQuery,
  WebhookDeliveryView,
  WebhookEndpointView,
  WebhookEventType,
} from './schemas.js';
import type { WebhookDb, WebhookDeliveriesTable, WebhookEndpointsTable } from './tables.js';

export function endpointView(row: WebhookEndpointsTable): WebhookEndpointView {
  return {
    id: row.id,
    keyId: row.key_id,
    agencyId: row.agency_id,
    url: row.url,
    events: JSON.parse(row.events_json) as WebhookEventType[],
    status: row.status,
    previousSecretUntil: row.previous_secret_until,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export function endpointRow(db: WebhookDb, id: string): Promise<WebhookEndpointsTable | undefined> {
  return db.selectFrom('webhook_endpoints').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function listEndpoints(
  db: WebhookDb,
  filter: { keyId?: string; agencyId?: string } = {},
): Promise<WebhookEndpointView[]> {
  let query = db.selectFrom('webhook_endpoints').selectAll().orderBy('created_at').orderBy('id');
  if (filter.keyId !== undefined) query = query.where('key_id', '=', filter.keyId);
  if (filter.agencyId !== undefined) query = query.where('agency_id', '=', filter.agencyId);
  return (await query.execute()).map(endpointView);
}

/** The active endpoints that receive an event of `keyId`: the key's own and its agency's. */
export async function endpointsFor(
  db: WebhookDb,
  keyId: string,
  agencyId: string | null,
): Promise<WebhookEndpointView[]> {
  const rows = await db
    .selectFrom('webhook_endpoints')
    .selectAll()
    .where('status', '=', 'active')
    .where((eb) =>
      agencyId === null
        ? eb('key_id', '=', keyId)
        : eb.or([eb('key_id', '=', keyId), eb('agency_id', '=', agencyId)]),
    )
    .orderBy('id')
    .execute();
  return rows.map(endpointView);
}

export function deliveryRow(db: WebhookDb, id: string): Promise<WebhookDeliveriesTable | undefined> {
  return db.selectFrom('webhook_deliveries').selectAll().where('id', '=', id).executeTakeFirst();
}

/** A page of deliveries, newest first, each with its attempts. */
export async function deliveryPage(
  db: WebhookDb,
  query: DeliveryListQuery,
): Promise<{ items: WebhookDeliveryView[]; total: number }> {
  let base = db.selectFrom('webhook_deliveries as d').innerJoin('webhook_events as e', 'e.id', 'd.event_id');
  if (query.endpointId !== undefined) base = base.where('d.endpoint_id', '=', query.endpointId);
  if (query.eventId !== undefined) base = base.where('d.event_id', '=', query.eventId);
  if (query.status !== undefined) base = base.where('d.status', '=', query.status);
  const [rows, count] = await Promise.all([
    base
      .select([
        'd.id',
        'd.event_id',
        'e.type',
        'd.endpoint_id',
        'd.status',
        'd.attempts',
        'd.next_attempt_at',
        'd.created_at',
        'd.delivered_at',
      ])
      .orderBy('d.created_at', 'desc')
      .orderBy('d.id', 'desc')
      .limit(query.limit)
      .offset(query.offset)
      .execute(),
    base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  const attempts = rows.length
    ? await db
        .selectFrom('webhook_attempts')
        .selectAll()
        .where(
          'delivery_id',
          'in',
          rows.map((row) => row.id),
        )
        .orderBy('delivery_id')
        .orderBy('attempt')
        .execute()
    : [];
  return {
    total: Number(count.n),
    items: rows.map((row) => ({
      id: row.id,
      eventId: row.event_id,
      eventType: row.type as WebhookEventType,
      endpointId: row.endpoint_id,
      status: row.status,
      attempts: row.attempts,
      nextAttemptAt: row.status === 'pending' ? row.next_attempt_at : null,
      createdAt: row.created_at,
      deliveredAt: row.delivered_at,
      log: attempts
        .filter((attempt) => attempt.delivery_id === row.id)
        .map((attempt) => ({
          attempt: attempt.attempt,
          at: attempt.at,
          statusCode: attempt.status_code,
          error: attempt.error,
          durationMs: attempt.duration_ms,
        })),
    })),
  };
}

/** A delivery the worker may try now, with what it sends. */
export interface DueDelivery {
  readonly id: string;
  readonly attempts: number;
  readonly retry_base: number;
  readonly next_attempt_at: number;
  readonly event_id: string;
  readonly type: string;
  readonly key_id: string;
  readonly payload_json: string;
  readonly event_created_at: number;
  readonly endpoint_id: string;
  /** The endpoint's key (null for an agency's endpoint): its deliveries stop when that key is revoked. */
  readonly endpoint_key_id: string | null;
  readonly url: string;
  readonly secret_enc: string;
  readonly previous_secret_enc: string | null;
  readonly previous_secret_until: number | null;
}

export function dueDeliveries(db: WebhookDb, now: number, limit: number): Promise<DueDelivery[]> {
  return db
    .selectFrom('webhook_deliveries as d')
    .innerJoin('webhook_events as e', 'e.id', 'd.event_id')
    .innerJoin('webhook_endpoints as p', 'p.id', 'd.endpoint_id')
    .select([
      'd.id',
      'd.attempts',
      'd.retry_base',
      'd.next_attempt_at',
      'e.id as event_id',
      'e.type',
      'e.key_id',
      'e.payload_json',
      'e.created_at as event_created_at',
      'p.id as endpoint_id',
      'p.key_id as endpoint_key_id',
      'p.url',
      'p.secret_enc',
      'p.previous_secret_enc',
      'p.previous_secret_until',
    ])
    .where('d.status', '=', 'pending')
    .where('d.next_attempt_at', '<=', now)
    .where('p.status', '=', 'active')
    .orderBy('d.next_attempt_at')
    .orderBy('d.id')
    .limit(limit)
    .execute();
}

/**
 * Takes a due delivery for one attempt: its next attempt moves to the end of a lease, on condition that nobody else
 * took it first (another instance's worker, or this one's previous round still running it).
 */
export async function claimDelivery(
  db: WebhookDb,
  delivery: DueDelivery,
  leaseUntil: number,
): Promise<boolean> {
  const result = await db
    .updateTable('webhook_deliveries')
    .set({ next_attempt_at: leaseUntil })
    .where('id', '=', delivery.id)
    .where('status', '=', 'pending')
    .where('attempts', '=', delivery.attempts)
    .where('next_attempt_at', '=', delivery.next_attempt_at)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/**
 * Removes, oldest first, up to `limit` events made before `before` that no delivery still waits to send (delivered
 * or given up), with their deliveries and attempts, in one transaction. Returns how many events went.
 */
export async function pruneEventsBefore(db: WebhookDb, before: number, limit: number): Promise<number> {
  return transaction(db, async (trx) => {
    const events = await trx
      .selectFrom('webhook_events as e')
      .select('e.id')
      .where('e.created_at', '<', before)
      .where((eb) =>
        eb.not(
          eb.exists(
            eb
              .selectFrom('webhook_deliveries as d')
              .select('d.id')
              .whereRef('d.event_id', '=', 'e.id')
              .where('d.status', '=', 'pending'),
          ),
        ),
      )
      .orderBy('e.created_at')
      .limit(limit)
      .execute();
    if (events.length === 0) return 0;
    const ids = events.map((event) => event.id);
    const deliveries = trx.selectFrom('webhook_deliveries').select('id').where('event_id', 'in', ids);
    await trx.deleteFrom('webhook_attempts').where('delivery_id', 'in', deliveries).execute();
    await trx.deleteFrom('webhook_deliveries').where('event_id', 'in', ids).execute();
    await trx.deleteFrom('webhook_events').where('id', 'in', ids).execute();
    return ids.length;
  });
}
