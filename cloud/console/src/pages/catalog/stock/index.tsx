/**
 * 票库（出入仓）: pre-printed ticket stock — batches and their codes, issuing to cashiers, returns and voids
 * (stock.manage), a code's ledger, balances, and the reconciliation. The site filter (or every site) applies to
 * every tab; the tab is kept in the address.
 */
import { Select, Space, Tabs, Typography } from 'antd';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { allows } from '../../../auth/access';
import { useMe } from '../../../auth/session';
import { DEFAULT_ZONE } from '../../../format/time';
import { siteLabel, useSites, useTicketTypes, useTypeNames } from '../shared';
import { Balances } from './balances';
import { Batches } from './batches';
import type { StockContext } from './context';
import { CodeLookup } from './lookup';
import { Moves } from './moves';
import { Reconciliation } from './reconciliation';

const TABS = ['batches', 'moves', 'lookup', 'balances', 'reconciliation'] as const;
type Tab = (typeof TABS)[number];

export default function StockPage() {
  const { t } = useTranslation('catalog');
  const me = useMe().data ?? undefined;
  const [params, setParams] = useSearchParams();
  const sites = useSites();
  const siteId = params.get('site') ?? undefined;
  const canManage = allows(me, 'stock.manage');
  const types = useTicketTypes(siteId, allows(me, 'ticket_types.read'));
  const typeName = useTypeNames();
  const context = useMemo<StockContext>(
    () => ({
      siteId,
      typeName,
      types: types.data ?? [],
      zoneOf: (id) => sites.options?.find((option) => option.id === id)?.timeZone ?? DEFAULT_ZONE,
      canManage,
    }),
    [siteId, typeName, types.data, sites.options, canManage],
  );
  const visible = TABS.filter((tab) => tab !== 'moves' || canManage);
  const wanted = params.get('tab') as Tab | null;
  const tab: Tab = wanted && visible.includes(wanted) ? wanted : 'batches';
  const set = (key: string, value: string | undefined) =>
    setParams((previous) => {
      const next = new URLSearchParams(previous);
      if (value === undefined) next.delete(key);
      else next.set(key, value);
      return next;
    });
  const render = (key: Tab) => {
    switch (key) {
      case 'batches':
        return <Batches context={context} />;
      case 'moves':
        return <Moves context={context} />;
      case 'lookup':
        return <CodeLookup context={context} />;
      case 'balances':
        return <Balances context={context} />;
      case 'reconciliation':
        return <Reconciliation context={context} />;
    }
  };
  return (
    <>
      <Space style={{ width: '100%', justifyContent: 'space-between', marginBottom: 8 }} wrap>
        <Typography.Title level={3} style={{ margin: 0 }}>
          {t('stock.title')}
        </Typography.Title>
        <Select
          aria-label={t('site.label')}
          style={{ minWidth: 220 }}
          value={siteId ?? ''}
          onChange={(value: string) => set('site', value || undefined)}
          loading={sites.isPending}
          options={[
            { value: '', label: t('site.all') },
            ...(sites.options ?? []).map((option) => ({
              value: option.id,
              label: siteLabel(option),
            })),
          ]}
          data-testid="stock-site"
        />
      </Space>
      <Tabs
        activeKey={tab}
        onChange={(key) => set('tab', key)}
        destroyOnHidden
        items={visible.map((key) => ({ key, label: t(`stock.tabs.${key}`), children: render(key) }))}
      />
    </>
  );
}
