/**
 * The ticket window's reads, started with the page's code before anyone knows who is signed in (shell/boot.ts): a
 * cashier who opens the console at the till waits for one round of requests, not for the code, then the session,
 * then two rounds of requests one after the other. The visit day's availability is asked for in the venue's usual
 * zone at once and again in the site's own zone if that differs. Failures are left to the page, which asks again
 * and shows them.
 */
import type { QueryClient } from '@tanstack/react-query';
import { DEFAULT_ZONE, today } from '../../format/time';
import { availabilityQuery, myStockQuery, siteQuery, siteTypesQuery, windowQuery } from './queries';
import { loadTerminal } from './terminal';

export async function prefetchWindow(client: QueryClient): Promise<void> {
  const terminal = loadTerminal();
  if (!terminal) return;
  const { siteId, windowId } = terminal;
  const site = client.fetchQuery(siteQuery(siteId, true)).then(
    (found) =>
      found.timezone === DEFAULT_ZONE
        ? undefined
        : client.prefetchQuery(availabilityQuery(siteId, today(found.timezone), true)),
    () => undefined,
  );
  await Promise.all([
    site,
    client.prefetchQuery(availabilityQuery(siteId, today(DEFAULT_ZONE), true)),
    client.prefetchQuery(windowQuery(siteId, windowId, true)),
    client.prefetchQuery(siteTypesQuery(siteId, true)),
    client.prefetchQuery(myStockQuery(true)),
  ]);
}
