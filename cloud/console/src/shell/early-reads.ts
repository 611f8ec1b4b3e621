/**
 * Reads a page will make, asked for before its code arrives: the build inlines this module in index.html
 * (scripts/early-reads.ts), where it adds `<link rel="preload" as="fetch">` for the page in the address bar. The
 * browser fetches them while it downloads and compiles the console, and hands the answers to the page's own
 * fetches of the same addresses (api/client.ts fetches with the same mode and credentials). Without a session
 * they answer 401, which nothing reads. A page with nothing listed here loses only the head start.
 *
 * Kept to a few kilobytes: everything imported here is inlined in every page load.
 */
import { apiUrl } from '../api/url';
import { windowEarlyReads } from '../pages/window/early';
import type { Read } from '../pages/window/reads';

/** Route path (the page's folder under src/pages) → its first reads. */
const EARLY_READS: Record<string, () => Read[]> = {
  window: windowEarlyReads,
};

/** Adds the preload links for the page at `pathname`; returns their addresses. */
export function startEarlyReads(pathname: string, document: Document): string[] {
  const page = pathname.split('/').filter(Boolean)[0] ?? '';
  let wanted: Read[] = [];
  try {
    wanted = EARLY_READS[page]?.() ?? [];
  } catch {
    // Storage refused or a damaged entry: the page reads as usual, only later.
  }
  return wanted.map(({ path, query }) => {
    const link = document.createElement('link');
    link.rel = 'preload';
    link.as = 'fetch';
    link.crossOrigin = 'anonymous';
    link.href = apiUrl(path, query);
    document.head.appendChild(link);
    return link.getAttribute('href')!;
  });
}
