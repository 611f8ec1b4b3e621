/**
 * Where a read goes: `/api/v1` + path + query, in one spelling. Kept free of imports because the early-reads
 * script inlined in index.html (shell/early-reads.ts) builds its preload addresses with it, and a preloaded
 * response is only used when the later fetch asks for exactly the same address.
 */
export type Query = Record<string, string | number | boolean | undefined | null>;

export function apiUrl(path: string, query?: Query): string {
  const url = new URL(path.startsWith('/api/') ? path : `/api/v1${path}`, window.location.origin);
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value !== undefined && value !== null && value !== '') url.searchParams.set(key, String(value));
  }
  return url.pathname + url.search;
}
