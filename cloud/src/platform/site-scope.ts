/**
 * Per-site access: the sites a principal (a signed-in operator; an API key later) may see and change. An operator
 * limited to some sites works as if the others did not exist: lists leave their rows out, a read or a change of one
 * of their rows by id answers 404 NOT_FOUND, creating something in one answers 403 SITE_FORBIDDEN, and so do the
 * routes that change what all sites share (declared `config: { allSites: true }`, enforced in auth/enforce.ts).
 *
 * The filter belongs in the services' SQL, not in the routes: each repository adds `siteCondition(scope, column)`
 * to its statements, so no caller of a service — a route today, an export or a report tomorrow — can forget it.
 * Work the system does on its own (MQTT ingestion, the publishers, the admin CLI) runs with ALL_SITES.
 */
import { type Expression, type SqlBool, sql } from 'kysely';
import { AppError } from './errors.js';

export interface SiteScope {
  /** The sites allowed, sorted; null: every site. Never empty (no sites listed means every site). */
  readonly siteIds: readonly string[] | null;
}

export const ALL_SITES: SiteScope = Object.freeze({ siteIds: null });

/** The scope of an operator limited to `siteIds`; none listed means every site. */
export function siteScopeOf(siteIds: readonly string[]): SiteScope {
  if (siteIds.length === 0) return ALL_SITES;
  return Object.freeze({ siteIds: Object.freeze([...new Set(siteIds)].sort()) });
}

export function coversAllSites(scope: SiteScope): boolean {
  return scope.siteIds === null;
}

/** Whether `siteId` is in scope; a row of no site (null) is only for those who see every site. */
export function coversSite(scope: SiteScope, siteId: string | null | undefined): boolean {
  return scope.siteIds === null || (siteId != null && scope.siteIds.includes(siteId));
}

/**
 * The SQL condition that keeps the rows of the scope's sites: `<column> in (…)`, or always true for every site.
 * `column` is a column reference such as `'site_id'` or `'sales.site_id'`; rows whose column is null are left out
 * of a limited scope. Use it in every statement of a repository that lists, reads or changes a site's rows:
 * `query.where(siteCondition(scope, 'site_id'))`.
 */
export function siteCondition(scope: SiteScope, column: string): Expression<SqlBool> {
  if (scope.siteIds === null) return sql<SqlBool>`1 = 1`;
  return sql<SqlBool>`${sql.ref(column)} in (${sql.join(scope.siteIds)})`;
}

/**
 * Refuses to create or act on something in a site out of scope (403 SITE_FORBIDDEN). For things that already
 * exist, filter them in SQL instead, so that they answer 404 like anything else that is not there.
 */
export function assertSiteInScope(scope: SiteScope, siteId: string): void {
  if (!coversSite(scope, siteId)) throw new AppError('SITE_FORBIDDEN', undefined, { details: { siteId } });
}

/**
 * Throws `notFound()` when `siteId` is out of scope: for a row read before its site was known (by a unique code, a
 * ticket's serial, a gate's id looked up through another module), so that it answers exactly like a missing one.
 */
export function assertSiteVisible(
  scope: SiteScope,
  siteId: string | null | undefined,
  notFound: () => Error,
) {
  if (!coversSite(scope, siteId)) throw notFound();
}
