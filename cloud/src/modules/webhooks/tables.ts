/** Table types of the partner webhooks (migration 20261210_120100); part of db/schema.ts. Owned by this module. */
import { ownedTables } from '../../db/scoped.js';

export interface WebhookTables {
  webhook_endpoints: WebhookEndpointsTable;
  webhook_events: WebhookEventsTable;
  webhook_deliveries: WebhookDeliveriesTable;
  webhook_attempts: WebhookAttemptsTable;
}

export const webhookTables = ownedTables<keyof WebhookTables>();
export type WebhookDb = ReturnType<typeof webhookTables>;

export interface WebhookEndpointsTable {
  id: string;
  /** The channel key whose events this endpoint receives; null for an agency's endpoint. */
  key_id: string | null;
  /** The agency whose keys' events this endpoint receives (every key of it); null for a key's endpoint. */
  agency_id: string | null;
  url: string;
  /** The signing secret, AES-256-GCM under the credential secret (signing-keys/secrets.ts), AAD `webhook:<id>`. */
  secret_enc: string;
  /** The secret a rotation replaced, encrypted the same way, while requests still carry its signature too. */
  previous_secret_enc: string | null;
  /** Until when (epoch ms) requests carry the previous secret's signature beside the current one's. */
  previous_secret_until: number | null;
  /** JSON array of the event types subscribed. */
  events_json: string;
  status: 'active' | 'disabled';
  created_at: number;
  updated_at: number;
}

export interface WebhookEventsTable {
  /** The event id: sent in every attempt's `Webhook-Id` header, what the partner deduplicates on. */
  id: string;
  type: string;
  /** The channel key the event concerns (whose endpoints receive it). */
  key_id: string;
  payload_json: string;
  created_at: number;
}

export interface WebhookDeliveriesTable {
  id: string;
  event_id: string;
  endpoint_id: string;
  status: 'pending' | 'delivered' | 'failed';
  attempts: number;
  /** The attempts made before the last manual redelivery: the worker's attempt limit counts from there. */
  retry_base: number;
  /** When the worker may try next; while an attempt runs, the end of its lease. */
  next_attempt_at: number;
  created_at: number;
  delivered_at: number | null;
}

export interface WebhookAttemptsTable {
  delivery_id: string;
  attempt: number;
  at: number;
  /** The partner's HTTP status; null when no answer came (timeout, refused connection). */
  status_code: number | null;
  error: string | null;
  duration_ms: number;
}
