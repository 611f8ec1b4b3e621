/**
 * The control room's filters live in the page's address (so a view can be bookmarked or sent on): reading a number
 * from it and writing a patch back, where an empty value drops its parameter rather than leaving `key=` behind.
 */
import { useSearchParams } from 'react-router';

export type FilterPatch = Record<string, string | number | undefined>;

/** A whole number from the address, else undefined (missing, empty or not a safe integer). */
export function numberParam(value: string | null): number | undefined {
  if (!value) return undefined;
  const number = Number(value);
  return Number.isSafeInteger(number) ? number : undefined;
}

/** The parameters with the patch applied; undefined or '' removes a key, the others stay as they were. */
export function patchParams(params: URLSearchParams, patch: FilterPatch): URLSearchParams {
  const next = new URLSearchParams(params);
  for (const [key, value] of Object.entries(patch)) {
    if (value === undefined || value === '') next.delete(key);
    else next.set(key, String(value));
  }
  return next;
}

/** The address's parameters and a setter that patches them in place (replace: a filter change is no new page). */
export function useUrlFilters() {
  const [params, setParams] = useSearchParams();
  const setParam = (patch: FilterPatch) => setParams(patchParams(params, patch), { replace: true });
  return { params, setParam };
}
