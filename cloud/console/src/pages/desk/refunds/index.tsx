/**
 * 退票记录: refunds newest first, paged on the server (`before` = the last refund of the page shown), filtered by
 * site, business days, sale and "only mine"; each one's tickets, amounts, methods, operator and approver. Its sale
 * opens in the sale drawer.
 */
import { useInfiniteQuery } from '@tanstack/react-query';
import { Button, Form, Input, Table, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../../api/client';
import type { Refund } from '../../../api/types';
import { useMe } from '../../../auth/session';
import { ErrorState } from '../../../components/feedback';
import { formatDateTime } from '../../../format/time';
import { FilterBar, type FilterValues, filterQuery } from '../filters';
import { Money, shortId, usePaymentsText } from '../labels';
import { LoadMore } from '../paged';
import { SaleDrawer } from '../sale-drawer';
import { useSiteZones } from '../sites';

const PAGE = 50;

export default function RefundsPage() {
  const { t } = useTranslation('desk');
  const me = useMe().data ?? undefined;
  const zoneOf = useSiteZones();
  const paymentsText = usePaymentsText();
  const [filters, setFilters] = useState<Record<string, string | number | undefined>>({});
  const [saleId, setSaleId] = useState<string | null>(null);

  const refunds = useInfiniteQuery({
    queryKey: ['refunds', 'list', filters],
    queryFn: ({ pageParam, signal }) =>
      api.get<Refund[]>('/refunds', { ...filters, limit: PAGE, before: pageParam }, signal),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => (last.length === PAGE ? last[last.length - 1]!.id : undefined),
  });
  const rows = refunds.data?.pages.flat() ?? [];

  return (
    <>
      <Typography.Title level={3}>{t('refunds.title')}</Typography.Title>
      <FilterBar
        onApply={(values: FilterValues) =>
          setFilters({
            ...filterQuery(values, me?.id, zoneOf),
            saleId: (values.saleId as string | undefined)?.trim() || undefined,
          })
        }
      >
        <Form.Item
          label={t('refunds.sale')}
          name="saleId"
          rules={[{ max: 64, message: t('common.tooLong', { max: 64 }) }]}
        >
          <Input allowClear style={{ width: 200 }} autoComplete="off" />
        </Form.Item>
      </FilterBar>
      {refunds.error && !refunds.data ? (
        <ErrorState error={refunds.error} onRetry={() => refunds.refetch()} />
      ) : (
        <>
          <Table<Refund>
            rowKey="id"
            size="middle"
            loading={refunds.isPending}
            dataSource={rows}
            pagination={false}
            data-testid="refunds-table"
            locale={{ emptyText: t('refunds.empty') }}
            columns={[
              {
                title: t('refunds.at'),
                width: 170,
                render: (_, r) => formatDateTime(r.createdAt, zoneOf(r.siteId)),
              },
              {
                title: t('refunds.sale'),
                width: 110,
                render: (_, r) => (
                  <Button
                    type="link"
                    size="small"
                    onClick={() => setSaleId(r.saleId)}
                    aria-label={t('sales.openOf', { id: shortId(r.saleId) })}
                  >
                    {shortId(r.saleId)}
                  </Button>
                ),
              },
              { title: t('refunds.tickets'), render: (_, r) => r.tickets.map((x) => x.ticketId).join(', ') },
              {
                title: t('refunds.amount'),
                width: 100,
                align: 'right',
                render: (_, r) => <Money fen={r.amountFen} strong />,
              },
              {
                title: t('refunds.fee'),
                width: 90,
                align: 'right',
                render: (_, r) => <Money fen={r.feeFen} />,
              },
              { title: t('refunds.methods'), render: (_, r) => paymentsText(r.payments) },
              { title: t('refunds.cashier'), width: 100, render: (_, r) => r.cashier.username },
              { title: t('refunds.approvedBy'), width: 100, render: (_, r) => r.approvedBy?.username ?? '—' },
              { title: t('refunds.reason'), render: (_, r) => r.reason ?? '—', ellipsis: true },
            ]}
          />
          <LoadMore
            shown={rows.length}
            hasMore={refunds.hasNextPage}
            loading={refunds.isFetchingNextPage}
            onMore={() => void refunds.fetchNextPage()}
          />
        </>
      )}
      <SaleDrawer saleId={saleId} onClose={() => setSaleId(null)} />
    </>
  );
}
