/**
 * 销售历史查询: the takings journal under the filter (sales, refunds, supplements, group orders), newest first, read
 * 50 at a time with "more" (keyset paging on the server), and the totals over the whole filter — every page, not
 * the rows shown — so sales − refunds (+ supplements and group orders) = net can be read off the screen and
 * checked against the exported file.
 */
import { keepPreviousData, useInfiniteQuery } from '@tanstack/react-query';
import { Card, Descriptions, Empty, Flex, Table, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { api } from '../../../api/client';
import type { SalesHistoryPage } from '../../../api/types';
import { ExportButtons } from '../../../components/export-buttons';
import { ErrorAlert } from '../../../components/feedback';
import { MoreButton } from '../../../components/more-button';
import { formatFen } from '../../../format/money';
import { formatDateTime, today } from '../../../format/time';
import { useUrlFilters } from '../../control/url-filters';
import { useSiteZone } from '../../desk/sites';
import { Amount, Count } from '../figures';
import { TakingsFilterBar } from '../filter-bar';
import { pick, takingsQuery } from '../filters';

type Item = SalesHistoryPage['items'][number];
const PAGE = 50;
const SOURCE_COLORS = { sale: 'blue', refund: 'red', supplement: 'gold', order: 'purple' } as const;

export default function SalesHistory() {
  const { t } = useTranslation('reports');
  const { params } = useUrlFilters();
  const siteZone = useSiteZone(params.get('site') || undefined);
  const query = takingsQuery(params, today(siteZone));
  const list = useInfiniteQuery({
    queryKey: ['reports', 'sales-history', query],
    queryFn: ({ pageParam, signal }) =>
      api.get<SalesHistoryPage>(
        '/reports/sales-history',
        { ...query, before: pageParam, limit: PAGE },
        signal,
      ),
    initialPageParam: undefined as number | undefined,
    getNextPageParam: (last) => last.next ?? undefined,
    placeholderData: keepPreviousData,
  });
  const items = list.data?.pages.flatMap((page) => page.items) ?? [];
  const totals = list.data?.pages[0]?.totals;

  return (
    <Flex vertical gap={16}>
      <Flex justify="space-between" align="center" wrap gap={8}>
        <Typography.Title level={3} style={{ margin: 0 }}>
          {t('history.title')}
        </Typography.Title>
        <ExportButtons path="/reports/sales-history" query={query} />
      </Flex>
      <TakingsFilterBar query={query} zone={siteZone} />
      <ErrorAlert error={list.error} />
      <Card size="small" data-testid="history-totals" loading={list.isPending && !list.error}>
        {totals ? (
          <Descriptions
            size="small"
            column={{ xs: 2, sm: 3, md: 4, lg: 5, xl: 5, xxl: 9 }}
            items={[
              {
                key: 'sales',
                label: t('history.totals.sales'),
                children: <Amount fen={totals.salesFen} testId="total-sales" />,
              },
              {
                key: 'refunds',
                label: t('history.totals.refunds'),
                children: <Amount fen={-totals.refundsFen} testId="total-refunds" />,
              },
              {
                key: 'supplements',
                label: t('history.totals.supplements'),
                children: <Amount fen={totals.supplementsFen} testId="total-supplements" />,
              },
              {
                key: 'orders',
                label: t('history.totals.orders'),
                children: <Amount fen={totals.ordersFen} testId="total-orders" />,
              },
              {
                key: 'net',
                label: t('history.totals.net'),
                children: <Amount fen={totals.netFen} strong testId="total-net" />,
              },
              {
                key: 'takings',
                label: t('history.totals.takings'),
                children: <Count value={totals.takings} testId="total-takings" />,
              },
              {
                key: 'tickets',
                label: t('history.totals.tickets'),
                children: <Count value={totals.tickets} testId="total-tickets" />,
              },
              {
                key: 'persons',
                label: t('history.totals.persons'),
                children: <Count value={totals.persons} testId="total-persons" />,
              },
            ]}
          />
        ) : null}
        <Typography.Text type="secondary">{t('history.totals.formula')}</Typography.Text>
      </Card>
      <Table<Item>
        size="small"
        rowKey="id"
        loading={list.isFetching && !list.isFetchingNextPage}
        dataSource={items}
        pagination={false}
        scroll={{ x: 1060 }}
        data-testid="history-table"
        locale={{
          emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('history.empty')} />,
        }}
        columns={[
          {
            title: t('history.at'),
            width: 160,
            render: (_, item) => (
              <Flex vertical>
                <span style={{ whiteSpace: 'nowrap' }}>{formatDateTime(item.at, siteZone)}</span>
                <Typography.Text
                  type="secondary"
                  copyable={{ text: item.sourceId }}
                  title={`${t('history.reference')} ${item.sourceId}`}
                  style={{ fontSize: 12 }}
                >
                  {item.sourceId.slice(0, 8)}
                </Typography.Text>
              </Flex>
            ),
          },
          {
            title: t('history.source'),
            width: 84,
            render: (_, item) => <Tag color={SOURCE_COLORS[item.source]}>{t(`sources.${item.source}`)}</Tag>,
          },
          {
            title: t('history.channel'),
            width: 150,
            render: (_, item) => (
              <Flex vertical>
                <span>{pick(item.channel.name)}</span>
                {item.window ? (
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {pick(item.window.name)}
                  </Typography.Text>
                ) : null}
                {item.agency ? (
                  <Typography.Text
                    type="secondary"
                    style={{ fontSize: 12 }}
                    ellipsis
                    title={pick(item.agency.name)}
                  >
                    {pick(item.agency.name)}
                  </Typography.Text>
                ) : null}
              </Flex>
            ),
          },
          {
            title: t('history.cashier'),
            width: 88,
            render: (_, item) => (item.cashier ? pick(item.cashier.name) : '—'),
          },
          {
            title: t('history.items'),
            width: 150,
            render: (_, item) =>
              item.items.length === 0 ? (
                '—'
              ) : (
                <Flex vertical>
                  {item.items.map((line) => (
                    <span key={line.type.id}>
                      {pick(line.type.name)} × {line.tickets}
                    </span>
                  ))}
                </Flex>
              ),
          },
          {
            title: t('history.payments'),
            width: 164,
            render: (_, item) => (
              <Flex vertical>
                {item.payments.map((p) => (
                  <span key={p.method} style={{ whiteSpace: 'nowrap' }}>
                    {t(`methods.${p.method}`)} {formatFen(p.amountFen)}
                  </span>
                ))}
              </Flex>
            ),
          },
          {
            title: t('history.tickets'),
            width: 70,
            align: 'right',
            render: (_, item) => <Count value={item.tickets} />,
          },
          {
            title: t('history.persons'),
            width: 76,
            align: 'right',
            render: (_, item) => <Count value={item.persons} />,
          },
          {
            title: t('history.amount'),
            width: 124,
            align: 'right',
            render: (_, item) => <Amount fen={item.amountFen} />,
          },
        ]}
      />
      <Flex justify="center" align="center" gap={12}>
        {totals && items.length > 0 ? (
          <Typography.Text type="secondary" data-testid="history-shown">
            {t('history.shown', { shown: items.length, total: totals.takings })}
          </Typography.Text>
        ) : null}
        <MoreButton list={list} />
      </Flex>
    </Flex>
  );
}
