/**
 * What the signed-in operator may open, from the permissions the API reports for them (GET /auth/me): a pure
 * function, so the menu, the routes and the tests share one answer. The API checks every call again; this only
 * decides what the console offers.
 */
import type { Me, Permission } from '../api/types';

export type Access = Permission | 'authenticated';

/**
 * Permissions whose every route concerns what all sites share (operators and roles, the operation log, signing keys,
 * system settings, partners' API keys and webhooks): the API refuses them to an operator limited to some sites (403 SITE_FORBIDDEN, routes declaring
 * `allSites`), so the console does not offer their pages to one.
 */
const ALL_SITES_ONLY: ReadonlySet<Access> = new Set<Access>([
  'operators.read',
  'operators.manage',
  'audit.read',
  'keys.manage',
  'system.manage',
  'channel.manage',
  'agencies.read',
  'agencies.manage',
  'agencies.adjust',
  // The holiday calendar is read by every operator who reads reports, but shared by all sites: changed by one
  // who reaches them all.
  'holidays.manage',
]);

export function allows(
  me: (Pick<Me, 'permissions'> & Partial<Pick<Me, 'siteIds'>>) | undefined,
  access: Access,
): boolean {
  if (!me) return false;
  if (access === 'authenticated') return true;
  if ((me.siteIds?.length ?? 0) > 0 && ALL_SITES_ONLY.has(access)) return false;
  return (me.permissions as readonly string[]).includes(access);
}
