/**
 * 销售记录: the sales newest first, paged on the server (cursor), filtered by site, window, business days in the
 * site's zone and "only mine"; a sale opens in a drawer (`/sales?sale=<id>`, so a lookup can link to it) with its
 * printouts, 退票 and 补票.
 */
import { useInfiniteQuery } from '@tanstack/react-query';
import { Button, Table, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { api } from '../../../api/client';
import type { SalePage, SaleSummary } from '../../../api/types';
import { useMe } from '../../../auth/session';
import { ErrorState } from '../../../components/feedback';
import { formatDateTime } from '../../../format/time';
import { FilterBar, type FilterValues, filterQuery } from '../filters';
import { Money, shortId } from '../labels';
import { LoadMore } from '../paged';
import { SaleDrawer } from '../sale-drawer';
import { useSiteLabel, useSiteZones } from '../sites';

const PAGE = 50;

export default function SalesPage() {
  const { t } = useTranslation('desk');
  const me = useMe().data ?? undefined;
  const zoneOf = useSiteZones();
  const siteLabel = useSiteLabel();
  const [params, setParams] = useSearchParams();
  const [filters, setFilters] = useState<Record<string, string | number | undefined>>({});
  const openSale = params.get('sale');

  const sales = useInfiniteQuery({
    queryKey: ['sales', 'list', filters],
    queryFn: ({ pageParam, signal }) =>
      api.get<SalePage>('/sales', { ...filters, limit: PAGE, before: pageParam }, signal),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.next ?? undefined,
  });
  const rows = sales.data?.pages.flatMap((page) => page.sales) ?? [];
  const open = (id: string | null) =>
    setParams(
      (current) => {
        const next = new URLSearchParams(current);
        if (id) next.set('sale', id);
        else next.delete('sale');
        return next;
      },
      { replace: id === null },
    );

  return (
    <>
      <Typography.Title level={3}>{t('sales.title')}</Typography.Title>
      <FilterBar
        withWindow
        onApply={(values: FilterValues) => setFilters(filterQuery(values, me?.id, zoneOf))}
      />
      {sales.error && !sales.data ? (
        <ErrorState error={sales.error} onRetry={() => sales.refetch()} />
      ) : (
        <>
          <Table<SaleSummary>
            rowKey="id"
            size="middle"
            loading={sales.isPending}
            dataSource={rows}
            pagination={false}
            data-testid="sales-table"
            locale={{ emptyText: t('sales.empty') }}
            onRow={(sale) => ({ onClick: () => open(sale.id), style: { cursor: 'pointer' } })}
            columns={[
              {
                title: t('sales.at'),
                width: 170,
                render: (_, s) => formatDateTime(s.createdAt, zoneOf(s.siteId)),
              },
              {
                title: t('sales.id'),
                width: 110,
                render: (_, s) => <Typography.Text code>{shortId(s.id)}</Typography.Text>,
              },
              {
                title: t('sales.siteWindow'),
                render: (_, s) => `${siteLabel(s.siteId)} / ${s.windowId ?? '—'}`,
              },
              { title: t('sales.cashier'), render: (_, s) => s.cashier.username },
              { title: t('sales.tickets'), dataIndex: 'ticketCount', width: 70, align: 'right' },
              { title: t('sales.persons'), dataIndex: 'persons', width: 70, align: 'right' },
              {
                title: t('sales.total'),
                width: 110,
                align: 'right',
                render: (_, s) => <Money fen={s.totalFen} strong />,
              },
              {
                title: t('sales.paid'),
                width: 110,
                align: 'right',
                render: (_, s) => <Money fen={s.paidFen} />,
              },
              {
                title: t('sales.change'),
                width: 90,
                align: 'right',
                render: (_, s) => <Money fen={s.changeFen} />,
              },
              {
                title: t('common.actions'),
                width: 90,
                render: (_, s) => (
                  <Button
                    type="link"
                    size="small"
                    onClick={(event) => {
                      event.stopPropagation();
                      open(s.id);
                    }}
                    aria-label={t('sales.openOf', { id: shortId(s.id) })}
                  >
                    {t('sales.open')}
                  </Button>
                ),
              },
            ]}
          />
          <LoadMore
            shown={rows.length}
            hasMore={sales.hasNextPage}
            loading={sales.isFetchingNextPage}
            onMore={() => void sales.fetchNextPage()}
          />
        </>
      )}
      <SaleDrawer saleId={openSale} onClose={() => open(null)} />
    </>
  );
}
