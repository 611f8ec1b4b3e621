/**
 * The takings filter bar of the history and the summary: business days, site, window, cashier, ticket type, channel,
 * tender, agency and kind. Each change goes straight to the address (the page reads its filter from there).
 */
import { DatePicker, Select, Space, Typography } from 'antd';
import dayjs from 'dayjs';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { type FilterPatch, useUrlFilters } from '../control/url-filters';
import { nameOf } from '../desk/labels';
import { useCanReadVenues, useSites } from '../desk/sites';
import { CHANNELS, METHODS, SOURCES, type TakingsQuery, useChoices } from './filters';

const MAX_DAYS = 400;

export function TakingsFilterBar({
  query,
  zone,
  withSource = true,
  children,
}: {
  query: TakingsQuery;
  zone: string;
  withSource?: boolean;
  children?: ReactNode;
}) {
  const { t } = useTranslation('reports');
  const { setParam } = useUrlFilters();
  const canReadVenues = useCanReadVenues();
  const sites = useSites();
  const windows = useChoices('window', query.from, query.to, query.siteId);
  const set = (patch: FilterPatch) => setParam(patch);
  const picker = (
    key: string,
    label: string,
    value: string | undefined,
    options: { value: string; label: string }[],
    width = 160,
  ) => (
    <Select
      aria-label={label}
      placeholder={`${label}：${t('filters.all')}`}
      allowClear
      showSearch={{ optionFilterProp: 'label' }}
      style={{ width }}
      value={value}
      onChange={(next?: string) => set({ [key]: next })}
      options={options}
      data-testid={`filter-${key}`}
    />
  );
  const cashiers = useChoices('cashier', query.from, query.to);
  const types = useChoices('type', query.from, query.to);
  const agencies = useChoices('agency', query.from, query.to);
  const siteOptions = canReadVenues
    ? (sites.data?.sites ?? []).map((site) => ({ value: site.id, label: nameOf(site.name) }))
    : [...new Set(windows.choices.flatMap((w) => (w.siteId ? [w.siteId] : [])))].map((id) => ({
        value: id,
        label: id,
      }));
  return (
    <Space wrap size={[8, 8]} data-testid="takings-filters">
      <DatePicker.RangePicker
        aria-label={t('filters.days')}
        allowClear={false}
        value={[dayjs(query.from), dayjs(query.to)]}
        disabledDate={(current, info) =>
          Boolean(info.from && Math.abs(current.diff(info.from, 'day')) >= MAX_DAYS)
        }
        onChange={(value) => {
          const [start, end] = value ?? [];
          set({ from: start?.format('YYYY-MM-DD'), to: end?.format('YYYY-MM-DD') });
        }}
        data-testid="filter-days"
      />
      {picker('site', t('filters.site'), query.siteId, siteOptions, 140)}
      {picker(
        'window',
        t('filters.window'),
        query.windowId,
        windows.choices.map((w) => ({ value: w.value, label: `${w.value} · ${w.label}` })),
        170,
      )}
      {picker('cashier', t('filters.cashier'), query.cashierId, cashiers.choices)}
      {picker(
        'type',
        t('filters.type'),
        query.typeId === undefined ? undefined : String(query.typeId),
        types.choices,
        170,
      )}
      {picker(
        'channel',
        t('filters.channel'),
        query.channel,
        CHANNELS.map((value) => ({ value, label: t(`channels.${value}`) })),
        150,
      )}
      {picker(
        'method',
        t('filters.method'),
        query.method,
        METHODS.map((value) => ({ value, label: t(`methods.${value}`) })),
        160,
      )}
      {picker('agency', t('filters.agency'), query.agencyId, agencies.choices, 180)}
      {withSource
        ? picker(
            'source',
            t('filters.source'),
            query.source,
            SOURCES.map((value) => ({ value, label: t(`sources.${value}`) })),
            140,
          )
        : null}
      {children}
      <Typography.Text type="secondary">{t('filters.zone', { zone })}</Typography.Text>
    </Space>
  );
}
