/**
 * Where `/` sends the operator: the first-run setup when they may set up venues and the installation has no site
 * yet, otherwise the first page they may open. Pure, so the rule is tested without a browser.
 */

export interface HomeInput {
  /** Path of the first menu page the operator may open, if any. */
  readonly firstPage: string | undefined;
  /** Whether the operator holds venues.manage (the setup wizard's permission). */
  readonly canSetUp: boolean;
  /** Sites found by GET /sites?limit=1: a count, still loading, or the call failed. */
  readonly sites: number | 'pending' | 'error';
}

/** The path to go to, or undefined while the answer is still loading. */
export function homeTarget({ firstPage, canSetUp, sites }: HomeInput): string | undefined {
  if (canSetUp && sites === 'pending') return undefined;
  if (canSetUp && sites === 0) return '/setup';
  // A failed look-up never traps the operator: they get their usual first page.
  return firstPage ? `/${firstPage}` : '/password';
}
