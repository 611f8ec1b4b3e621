/**
 * Who is on the broker. Each gate logs in with its own user name, `gate@{siteId}@{gateId}`, and the client id the
 * protocol prescribes, `sg-{siteId}-{gateId}`; the cloud logs in with its configured user name. `@` never occurs in
 * protocol ids, so the user name parses back unambiguously (and, unlike `:`, it is allowed in Mosquitto's passwd
 * file, whose lines are `user:hash`).
 */
import { idStringSchema } from '@scenic/protocol';

export type MqttIdentity =
  | { readonly kind: 'cloud' }
  | { readonly kind: 'gate'; readonly siteId: string; readonly gateId: string };

const GATE_USER_PREFIX = 'gate@';

export function gateUsername(siteId: string, gateId: string): string {
  return `${GATE_USER_PREFIX}${siteId}@${gateId}`;
}

export function parseGateUsername(username: string): { siteId: string; gateId: string } | undefined {
  if (!username.startsWith(GATE_USER_PREFIX)) return undefined;
  const [siteId, gateId, ...rest] = username.slice(GATE_USER_PREFIX.length).split('@');
  if (rest.length > 0 || !isId(siteId) || !isId(gateId)) return undefined;
  return { siteId, gateId };
}

/** The client id a gate must use; enforcing it stops one gate from taking over (and kicking) another's session. */
export function gateClientId(siteId: string, gateId: string): string {
  return `sg-${siteId}-${gateId}`;
}

function isId(value: string | undefined): value is string {
  return idStringSchema.safeParse(value).success;
}
