/**
 * The names reports show for the ids the takings record, each read from its owner (ARCHITECTURE.md: modules own
 * their tables): windows from the venues, types from the ticket types, cashiers from the operators, agencies from
 * the agencies. One statement per kind for a whole page or summary. An id its owner no longer knows is shown as is.
 */
import type { Connection } from '../../db/scoped.js';
import { operatorNames } from '../../platform/auth/names.js';
import type { Localized } from '../../platform/language.js';
import { agencyNames } from '../agencies/names.js';
import { typeNames } from '../ticket-types/names.js';
import { windowNames } from '../venues/names.js';

export interface NameRequest {
  readonly windows?: readonly { readonly siteId: string; readonly windowId: string }[];
  readonly cashiers?: readonly string[];
  readonly types?: readonly number[];
  readonly agencies?: readonly string[];
}

export interface Names {
  window(siteId: string, windowId: string): Localized;
  cashier(operatorId: string): Localized;
  type(typeId: number): Localized;
  agency(agencyId: string): Localized;
}

const same = (text: string): Localized => ({ 'zh-CN': text, en: text });

export async function namesOf(db: Connection, request: NameRequest): Promise<Names> {
  const [windows, cashiers, types, agencies] = await Promise.all([
    request.windows?.length
      ? windowNames(db, request.windows)
      : new Map<string, { zh: string; en: string }>(),
    request.cashiers?.length
      ? operatorNames(db, request.cashiers)
      : new Map<string, { displayName: string }>(),
    request.types?.length ? typeNames(db, request.types) : new Map<number, { zh: string; en: string }>(),
    request.agencies?.length ? agencyNames(db, request.agencies) : new Map<string, string>(),
  ]);
  return {
    window: (siteId, windowId) => {
      const name = windows.get(`${siteId}/${windowId}`);
      return name ? { 'zh-CN': name.zh, en: name.en } : same(windowId);
    },
    cashier: (id) => same(cashiers.get(id)?.displayName ?? id),
    type: (id) => {
      const name = types.get(id);
      return name ? { 'zh-CN': name.zh, en: name.en } : same(String(id));
    },
    agency: (id) => same(agencies.get(id) ?? id),
  };
}
