/**
 * Partners on the channel API (渠道接口): a travel agency or a sales channel (OTA, the venue's own online shop)
 * calling the routes under /api/channel/v1 with its API key, never with an operator's session. The routes declare
 * `config: { access: 'channel' }`; the auth gate (enforce.ts) authenticates the key through `PartnerKeys` (the
 * channel-keys module implements it; the platform knows no module), takes a token from the key's bucket and sets
 * `request.partner`. A partner sees only its key's sites: handlers pass `partner.sites` as the scope of every read
 * and change, like an operator's.
 */

import type { IncomingHttpHeaders } from 'node:http';
import type { FastifyRequest } from 'fastify';
import { AppError } from '../errors.js';
import type { SiteScope } from '../site-scope.js';

export interface Partner {
  /** The key's id (its public half), e.g. `ck_…`: what audit entries and webhook routing name. */
  readonly keyId: string;
  readonly name: string;
  /** The sales channel its orders count as. */
  readonly channel: 'ota' | 'online' | 'agency';
  /** The agency, for an agency's key. */
  readonly agencyId: string | null;
  /** The key's sites (never every site: a key always lists its sites). */
  readonly sites: SiteScope;
  /** The key's limit: calls per minute on average, the same number at once. */
  readonly ratePerMinute: number;
}

/** Authenticates a presented key: the partner, or undefined for a key that is unknown, wrong or revoked. */
export interface PartnerKeys {
  authenticate(presented: string): Promise<Partner | undefined>;
}

/** The key of a request: `X-Api-Key: <key>` or `Authorization: Bearer <key>`. */
export function partnerKeyFromHeaders(headers: IncomingHttpHeaders): string | undefined {
  const header = headers['x-api-key'];
  if (typeof header === 'string' && header.length > 0) return header.trim();
  const authorization = headers.authorization;
  const match = authorization ? /^Bearer\s+(\S+)\s*$/i.exec(authorization) : null;
  return match?.[1];
}

/** The partner of a request on a channel route (the gate guarantees one). */
export function partnerOf(request: FastifyRequest): Partner {
  if (!request.partner) throw new AppError('API_KEY_INVALID');
  return request.partner;
}
