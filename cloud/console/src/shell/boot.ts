/**
 * What the console starts before React renders anything: when the address is a page, that page's code and its
 * first reads. Without this the browser works through a chain (the code, then who is signed in, then the shell,
 * then the page's code, then its data); here it all travels at once, and who is signed in comes with the HTML
 * (index.html preloads GET /auth/me). Nothing is shown from here: the shell still checks the session and the
 * page's permission, and reads answered 401 or 403 only leave the page to ask again.
 */
import type { QueryClient } from '@tanstack/react-query';
import { meQuery } from '../auth/session';
import { loadPage } from './page-modules';
import { PAGES, type PageRoute } from './routes';

/** The page a path opens (`/window`, `/gates/…`), if any. */
export function pageAt(pathname: string): PageRoute | undefined {
  const first = pathname.split('/').filter(Boolean)[0];
  return PAGES.find((page) => page.path === first);
}

/** Longest the first render waits for the preload; past it the page shows its own loading states. */
const WAIT_AT_MOST_MS = 1_500;

/**
 * Starts the preload; resolves when it has settled (or after WAIT_AT_MOST_MS). Rendering after it, React draws the
 * shell and the page in one pass instead of a spinner, then the shell, then the page, each laid out and painted.
 */
export function bootPreload(pathname: string, client: QueryClient): Promise<void> {
  const page = pageAt(pathname);
  const work: Promise<unknown>[] = [client.prefetchQuery(meQuery)];
  if (page) work.push(loadPage(page), page.prefetch?.(client) ?? Promise.resolve());
  const settled = Promise.allSettled(work).then(() => undefined);
  return Promise.race([settled, new Promise<void>((resolve) => setTimeout(resolve, WAIT_AT_MOST_MS))]);
}
