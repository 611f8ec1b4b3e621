/**
 * The takings filter of the history and the summary, kept in the page's address (a view can be bookmarked or sent
 * to a colleague): business days `from`/`to` (site-local, default today), site, window, cashier, ticket type,
 * channel, tender, agency and kind. The same query goes to the JSON route and to its export.
 */
import { useQuery } from '@tanstack/react-query';
import { api } from '../../api/client';
import type { SalesSummary, SummaryDimension } from '../../api/types';
import { currentLanguage } from '../../i18n';
import { numberParam } from '../control/url-filters';

export const SOURCES = ['sale', 'refund', 'supplement', 'order'] as const;
export const METHODS = ['cash', 'bank_card', 'wechat', 'alipay', 'points', 'agency_account'] as const;
export const CHANNELS = ['window', 'online', 'ota', 'agency', 'self_service', 'channel_api'] as const;

export interface TakingsQuery {
  [key: string]: string | number | undefined;
  from: string;
  to: string;
  siteId?: string;
  windowId?: string;
  cashierId?: string;
  typeId?: number;
  channel?: string;
  method?: string;
  agencyId?: string;
  source?: string;
}

const oneOf = <T extends string>(list: readonly T[], value: string | null): T | undefined =>
  list.includes(value as T) ? (value as T) : undefined;
const text = (value: string | null) => value || undefined;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** The filter in the address; days default to `today`, an earlier `to` than `from` is left to the API to refuse. */
export function takingsQuery(params: URLSearchParams, today: string): TakingsQuery {
  const from = params.get('from') ?? '';
  const to = params.get('to') ?? '';
  const query: TakingsQuery = {
    from: DATE.test(from) ? from : today,
    to: DATE.test(to) ? to : DATE.test(from) ? from : today,
  };
  const put = (key: keyof TakingsQuery, value: string | number | undefined) => {
    if (value !== undefined) query[key] = value;
  };
  put('siteId', text(params.get('site')));
  put('windowId', text(params.get('window')));
  put('cashierId', text(params.get('cashier')));
  put('typeId', numberParam(params.get('type')));
  put('channel', text(params.get('channel')));
  put('method', oneOf(METHODS, params.get('method')));
  put('agencyId', text(params.get('agency')));
  put('source', oneOf(SOURCES, params.get('source')));
  return query;
}

/** A name in the console's language. */
export function pick(name: { 'zh-CN': string; en: string }): string {
  return currentLanguage() === 'en' ? name.en : name['zh-CN'];
}

export interface Choice {
  readonly value: string;
  readonly label: string;
  readonly siteId?: string;
}

/**
 * The windows, cashiers, ticket types or agencies that have takings in the period, with their names: read from the
 * summary grouped by that dimension, so the lists need reports.read only (finance holds no operators.read or
 * venues.read) and offer nothing that would find no takings.
 */
export function useChoices(dimension: SummaryDimension, from: string, to: string, siteId?: string) {
  const query = useQuery({
    queryKey: ['reports', 'choices', dimension, { from, to, siteId }],
    queryFn: ({ signal }) =>
      api.get<SalesSummary>('/reports/sales-summary', { from, to, siteId, by: dimension }, signal),
    staleTime: 60_000,
  });
  const seen = new Set<string>();
  const choices: Choice[] = [];
  for (const row of query.data?.rows ?? []) {
    const group = row.group[dimension];
    if (!group || group.id === null || seen.has(String(group.id))) continue;
    seen.add(String(group.id));
    choices.push({
      value: String(group.id),
      label: pick(group.name),
      ...(group.siteId !== undefined && { siteId: group.siteId }),
    });
  }
  return { choices, loading: query.isPending };
}
