/**
 * What the catalog and stock pages share: the sites an operator may pick (with their time zones), the chosen site
 * kept in the address (`?site=`), ticket-type names by id, and the ticket types of a site.
 */
import { useQuery } from '@tanstack/react-query';
import { Select } from 'antd';
import { useEffect, useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { api } from '../../api/client';
import type { Site, TicketType } from '../../api/types';
import { allows } from '../../auth/access';
import { useMe } from '../../auth/session';
import { DEFAULT_ZONE } from '../../format/time';
import { currentLanguage } from '../../i18n';

export interface SiteOption {
  readonly id: string;
  readonly name: string;
  readonly timeZone: string;
  /** Known only with venues.read. */
  readonly site?: Site;
}

export const ticketTypesKey = (siteId?: string) =>
  siteId ? (['ticket-types', 'list', siteId] as const) : (['ticket-types', 'list'] as const);

/** Every ticket type (current versions) of one site, or of all sites; the list is small and never paged. */
export function useTicketTypes(siteId?: string, enabled = true) {
  return useQuery({
    queryKey: ticketTypesKey(siteId),
    queryFn: () => api.get<TicketType[]>('/ticket-types', siteId ? { siteId } : undefined),
    enabled,
  });
}

/**
 * The sites the operator may choose: the site list with venues.read; otherwise the sites their ticket types belong
 * to (a cashier or finance officer reads ticket types but not the venue registry).
 */
export function useSites() {
  const me = useMe().data ?? undefined;
  const canReadVenues = allows(me, 'venues.read');
  const canReadTypes = allows(me, 'ticket_types.read');
  const sites = useQuery({
    queryKey: ['sites', 'list', { limit: 500 }],
    queryFn: () => api.get<{ sites: Site[]; next: string | null }>('/sites', { limit: 500 }),
    enabled: canReadVenues,
  });
  const types = useTicketTypes(undefined, !canReadVenues && canReadTypes);
  const english = currentLanguage() === 'en';
  const options = useMemo<SiteOption[] | undefined>(() => {
    if (canReadVenues)
      return sites.data?.sites.map((site) => ({
        id: site.id,
        name: english ? site.name.en : site.name.zh,
        timeZone: site.timezone,
        site,
      }));
    if (!canReadTypes) return [];
    if (!types.data) return undefined;
    return [...new Set(types.data.map((type) => type.siteId))]
      .sort()
      .map((id) => ({ id, name: id, timeZone: DEFAULT_ZONE }));
  }, [canReadVenues, canReadTypes, sites.data, types.data, english]);
  const query = canReadVenues ? sites : types;
  return {
    options,
    isPending: options === undefined && (canReadVenues || canReadTypes) && query.isPending,
    error: query.error,
    refetch: query.refetch,
  };
}

/**
 * The site chosen on this page, kept in the address so a reload or a shared link opens the same site; the first site
 * until one is chosen.
 */
export function useChosenSite(options: readonly SiteOption[] | undefined) {
  const [params, setParams] = useSearchParams();
  const wanted = params.get('site');
  const chosen = options?.find((option) => option.id === wanted) ?? options?.[0];
  useEffect(() => {
    if (chosen && chosen.id !== wanted)
      setParams(
        (previous) => {
          const next = new URLSearchParams(previous);
          next.set('site', chosen.id);
          return next;
        },
        { replace: true },
      );
  }, [chosen, wanted, setParams]);
  const choose = (id: string) =>
    setParams((previous) => {
      const next = new URLSearchParams(previous);
      next.set('site', id);
      return next;
    });
  return [chosen, choose] as const;
}

/** "湖光公园（park）", "Lakeside Park (park)", or the id alone when the name is not known. */
export function siteLabel(option: SiteOption): string {
  if (option.name === option.id) return option.id;
  return currentLanguage() === 'en' ? `${option.name} (${option.id})` : `${option.name}（${option.id}）`;
}

export function SiteSelect({
  options,
  value,
  onChange,
}: {
  options: readonly SiteOption[];
  value: string | undefined;
  onChange: (id: string) => void;
}) {
  const { t } = useTranslation('catalog');
  return (
    <Select
      aria-label={t('site.label')}
      style={{ minWidth: 220 }}
      value={value}
      onChange={onChange}
      options={options.map((option) => ({
        value: option.id,
        label: siteLabel(option),
      }))}
      data-testid="site-select"
    />
  );
}

/** A ticket type's name in the console's language. */
export function typeName(type: Pick<TicketType, 'name'>): string {
  return currentLanguage() === 'en' ? type.name.en : type.name.zh;
}

/** Ticket-type names by id, for pages that show ids (stock); empty without ticket_types.read. */
export function useTypeNames(): (typeId: number) => string {
  const { t } = useTranslation('catalog');
  const me = useMe().data ?? undefined;
  const types = useTicketTypes(undefined, allows(me, 'ticket_types.read'));
  return useMemo(() => {
    const byId = new Map((types.data ?? []).map((type) => [type.typeId, typeName(type)]));
    return (typeId: number) => {
      const name = byId.get(typeId);
      return name ? t('stock.typeName', { name, id: typeId }) : t('stock.typeUnknown', { id: typeId });
    };
  }, [types.data, t]);
}
