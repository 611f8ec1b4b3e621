/**
 * Webhooks to partners (渠道回调). Other modules report what a partner must hear of (a redemption, a cancellation, a
 * refund) with `enqueue(trx, event)` inside the transaction of the change itself: the event row and one delivery
 * per subscribed endpoint commit with the change or not at all (a transactional outbox), so a partner never hears
 * of something that did not happen and always hears of what did. The worker (worker.ts) sends them.
 *
 * Endpoints belong to a channel key, or to an agency (then they receive the events of every key of the agency);
 * the signing secret is shown once and stored encrypted under the credential
 * secret (it must be read back to sign, so it cannot be hashed). Creating and disabling endpoints and a manual
 * redelivery are audited; attempts are not (they are the delivery log).
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { Connection } from '../../db/scoped.js';
import { auditedTransaction, recordAudit } from '../../platform/audit/record.js';
import type { ChangeContext } from '../../platform/change-context.js';
import { AppError } from '../../platform/errors.js';
import type { Localized } from '../../platform/language.js';
import { channelKeyActive, channelKeyAgency } from '../channel-keys/reads.js';
import type { CredentialSecrets } from '../signing-keys/secrets.js';
import { deliveryPage, deliveryRow, endpointRow, endpointsFor, endpointView, listEndpoints } from './repo.js';
import type {
  CreatedWebhookEndpoint,
  CreateWebhookEndpoint,
  DeliveryListQuery,
  RotateSecret,
  WebhookChange,
  WebhookDeliveryPage,
  WebhookDeliveryView,
  WebhookEndpointView,
  WebhookEventInput,
} from './schemas.js';
import { type WebhookDb, webhookTables } from './tables.js';

const ENDPOINT: Localized = { 'zh-CN': '回调地址', en: 'Webhook endpoint' };
const DELIVERY: Localized = { 'zh-CN': '回调投递', en: 'Webhook delivery' };
const KEY: Localized = { 'zh-CN': 'API 密钥', en: 'API key' };

/** The additional authenticated data binding an endpoint's encrypted secret to its row. */
export const secretContext = (endpointId: string) => `webhook:${endpointId}`;

export class WebhooksService {
  private readonly db: WebhookDb;

  constructor(
    db: Connection,
    private readonly secrets: () => CredentialSecrets,
    private readonly now: () => number = Date.now,
  ) {
    this.db = webhookTables(db);
  }

  /**
   * Records an event and its deliveries in the caller's transaction `trx`; returns the event id. The caller's
   * transaction must be the one that makes the change the event reports.
   */
  async enqueue(trx: Connection, event: WebhookEventInput): Promise<string> {
    const db = webhookTables(trx);
    const id = event.id ?? randomUUID();
    const now = this.now();
    await db
      .insertInto('webhook_events')
      .values({
        id,
        type: event.type,
        key_id: event.keyId,
        payload_json: JSON.stringify(event.data ?? null),
        created_at: now,
      })
      .execute();
    const agencyId = (await channelKeyAgency(trx, event.keyId)) ?? null;
    const endpoints = (await endpointsFor(db, event.keyId, agencyId)).filter((endpoint) =>
      endpoint.events.includes(event.type),
    );
    if (endpoints.length > 0)
      await db
        .insertInto('webhook_deliveries')
        .values(
          endpoints.map((endpoint) => ({
            id: randomUUID(),
            event_id: id,
            endpoint_id: endpoint.id,
            status: 'pending' as const,
            attempts: 0,
            retry_base: 0,
            next_attempt_at: now,
            created_at: now,
            delivered_at: null,
          })),
        )
        .execute();
    return id;
  }

  listEndpoints(filter: { keyId?: string; agencyId?: string } = {}): Promise<WebhookEndpointView[]> {
    return listEndpoints(this.db, filter);
  }

  async createEndpoint(
    input: CreateWebhookEndpoint,
    context: ChangeContext,
  ): Promise<CreatedWebhookEndpoint> {
    const id = randomUUID();
    const secret = `whsec_${randomBytes(32).toString('base64url')}`;
    const secretEnc = this.secrets().encrypt(Buffer.from(secret, 'utf8'), secretContext(id));
    const endpoint = await auditedTransaction(this.db, async (trx) => {
      // An agency's endpoint may come before its keys (the agencies module owns agencies; any id is taken).
      if (input.keyId !== undefined && !(await channelKeyActive(trx, input.keyId)))
        throw new AppError('NOT_FOUND', { resource: KEY, id: input.keyId });
      const now = this.now();
      const row = {
        id,
        key_id: input.keyId ?? null,
        agency_id: input.agencyId ?? null,
        url: input.url,
        secret_enc: secretEnc,
        previous_secret_enc: null,
        previous_secret_until: null,
        events_json: JSON.stringify([...new Set(input.events)].sort()),
        status: 'active' as const,
        created_at: now,
        updated_at: now,
      };
      await trx.insertInto('webhook_endpoints').values(row).execute();
      const view = endpointView(row);
      await recordAudit(
        trx,
        {
          actor: context.actor,
          ip: context.ip,
          action: 'webhook_endpoint.create',
          entity: 'webhook_endpoint',
          entityId: id,
          after: view,
        },
        now,
      );
      return view;
    });
    return { endpoint, secret };
  }

  /**
   * A new signing secret for an endpoint, shown once. For `graceHours` every request carries the old secret's
   * signature beside the new one's, so the partner can switch without refusing anything in between; after that only
   * the new one. The secrets themselves never reach the audit log.
   */
  async rotateSecret(
    id: string,
    input: RotateSecret,
    context: ChangeContext,
  ): Promise<CreatedWebhookEndpoint> {
    const secret = `whsec_${randomBytes(32).toString('base64url')}`;
    const secretEnc = this.secrets().encrypt(Buffer.from(secret, 'utf8'), secretContext(id));
    const endpoint = await auditedTransaction(this.db, async (trx) => {
      const row = await endpointRow(trx, id);
      if (!row) throw new AppError('NOT_FOUND', { resource: ENDPOINT, id });
      if (row.status === 'disabled') throw new AppError('WEBHOOK_ENDPOINT_DISABLED', { endpointId: id });
      const now = this.now();
      const until = input.graceHours > 0 ? now + input.graceHours * 3_600_000 : null;
      const changed = {
        secret_enc: secretEnc,
        previous_secret_enc: until === null ? null : row.secret_enc,
        previous_secret_until: until,
        updated_at: now,
      };
      await trx.updateTable('webhook_endpoints').set(changed).where('id', '=', id).execute();
      await recordAudit(
        trx,
        {
          actor: context.actor,
          ip: context.ip,
          action: 'webhook_endpoint.rotate_secret',
          entity: 'webhook_endpoint',
          entityId: id,
          after: { previousSecretUntil: until, reason: input.reason },
        },
        now,
      );
      return endpointView({ ...row, ...changed });
    });
    return { endpoint, secret };
  }

  /** Stops deliveries to an endpoint: its pending ones wait (a manual redelivery to another endpoint is not made). */
  async disableEndpoint(
    id: string,
    change: WebhookChange,
    context: ChangeContext,
  ): Promise<WebhookEndpointView> {
    return auditedTransaction(this.db, async (trx) => {
      const row = await endpointRow(trx, id);
      if (!row) throw new AppError('NOT_FOUND', { resource: ENDPOINT, id });
      if (row.status === 'disabled') throw new AppError('WEBHOOK_ENDPOINT_DISABLED', { endpointId: id });
      const now = this.now();
      await trx
        .updateTable('webhook_endpoints')
        .set({ status: 'disabled', updated_at: now })
        .where('id', '=', id)
        .execute();
      await recordAudit(
        trx,
        {
          actor: context.actor,
          ip: context.ip,
          action: 'webhook_endpoint.disable',
          entity: 'webhook_endpoint',
          entityId: id,
          before: { status: 'active' },
          after: { status: 'disabled', reason: change.reason },
        },
        now,
      );
      return endpointView({ ...row, status: 'disabled', updated_at: now });
    });
  }

  deliveries(query: DeliveryListQuery): Promise<WebhookDeliveryPage> {
    return deliveryPage(this.db, query);
  }

  /**
   * Sends a delivery again now, whatever its state (delivered: the partner gets the same event id and deduplicates
   * it; failed: a fresh set of attempts). The attempt limit counts from here.
   */
  async redeliver(id: string, change: WebhookChange, context: ChangeContext): Promise<WebhookDeliveryView> {
    await auditedTransaction(this.db, async (trx) => {
      const row = await deliveryRow(trx, id);
      if (!row) throw new AppError('NOT_FOUND', { resource: DELIVERY, id });
      const endpoint = await endpointRow(trx, row.endpoint_id);
      if (endpoint?.status !== 'active')
        throw new AppError('WEBHOOK_ENDPOINT_DISABLED', { endpointId: row.endpoint_id });
      const now = this.now();
      await trx
        .updateTable('webhook_deliveries')
        .set({ status: 'pending', next_attempt_at: now, retry_base: row.attempts })
        .where('id', '=', id)
        .execute();
      await recordAudit(
        trx,
        {
          actor: context.actor,
          ip: context.ip,
          action: 'webhook_delivery.redeliver',
          entity: 'webhook_delivery',
          entityId: id,
          before: { status: row.status, attempts: row.attempts },
          after: { status: 'pending', eventId: row.event_id, reason: change.reason },
        },
        now,
      );
    });
    const row = await deliveryRow(this.db, id);
    const [view] = (
      await deliveryPage(this.db, { eventId: row!.event_id, limit: 200, offset: 0 })
    ).items.filter((delivery) => delivery.id === id);
    return view!;
  }

  /** The plain signing secret of an endpoint, for the worker. */
  secretOf(endpointId: string, secretEnc: string): string {
    return this.secrets().decrypt(secretEnc, secretContext(endpointId)).toString('utf8');
  }
}
