/**
 * 销售汇总表: the takings of a period summed by one or two dimensions (day, month, ticket type, channel, tender,
 * window, cashier, agency, kind), each group with sales, refunds, supplements, group orders and the net (tickets
 * and ¥), and a totals row that is the API's totals. Grouped or filtered by tender there are no ticket counts.
 */
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Empty, Flex, Select, Space, Table, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useTranslation } from 'react-i18next';
import { api } from '../../../api/client';
import type { SalesSummary, SummaryDimension } from '../../../api/types';
import { ExportButtons } from '../../../components/export-buttons';
import { ErrorAlert } from '../../../components/feedback';
import { today } from '../../../format/time';
import { useUrlFilters } from '../../control/url-filters';
import { useSiteZone } from '../../desk/sites';
import { Amount, Count } from '../figures';
import { TakingsFilterBar } from '../filter-bar';
import { pick, takingsQuery } from '../filters';

type Row = SalesSummary['rows'][number];
const DIMENSIONS: readonly SummaryDimension[] = [
  'day',
  'month',
  'type',
  'channel',
  'method',
  'window',
  'cashier',
  'agency',
  'source',
];
const FIGURES = ['sales', 'refunds', 'supplements', 'orders', 'net'] as const;

const dimensionOf = (value: string | null): SummaryDimension | undefined =>
  DIMENSIONS.includes(value as SummaryDimension) ? (value as SummaryDimension) : undefined;

export default function SalesSummaryPage() {
  const { t } = useTranslation('reports');
  const { params, setParam } = useUrlFilters();
  const zone = useSiteZone(params.get('site') || undefined);
  const filter = takingsQuery(params, today(zone));
  const by = dimensionOf(params.get('by')) ?? 'type';
  const thenByParam = dimensionOf(params.get('by2'));
  const thenBy = thenByParam === by ? undefined : thenByParam;
  const query = { ...filter, by, thenBy };
  const summary = useQuery({
    queryKey: ['reports', 'sales-summary', query],
    queryFn: ({ signal }) => api.get<SalesSummary>('/reports/sales-summary', query, signal),
    placeholderData: keepPreviousData,
  });
  const data = summary.data;
  const dimensions = data?.dimensions ?? [by, ...(thenBy ? [thenBy] : [])];
  const counted = data?.ticketsCounted ?? true;

  const columns: ColumnsType<Row> = [
    ...dimensions.map((d, i) => ({
      key: d,
      title: t(`summary.dimensions.${d}`),
      width: d === 'day' || d === 'month' ? 110 : 130,
      fixed: i === 0 ? ('left' as const) : undefined,
      render: (_: unknown, row: Row) => {
        const group = row.group[d];
        return group ? pick(group.name) : '—';
      },
    })),
    ...FIGURES.map((figure) => ({
      key: figure,
      title: t(`summary.figures.${figure}`),
      children: [
        ...(counted && figure !== 'supplements'
          ? [
              {
                key: `${figure}-tickets`,
                title: t('summary.tickets'),
                width: 64,
                align: 'right' as const,
                render: (_: unknown, row: Row) => <Count value={row[figure].tickets} />,
              },
            ]
          : []),
        {
          key: `${figure}-amount`,
          title: t('summary.amount'),
          width: 118,
          align: 'right' as const,
          render: (_: unknown, row: Row) => <Amount fen={row[figure].amountFen} strong={figure === 'net'} />,
        },
      ],
    })),
  ];

  return (
    <Flex vertical gap={16}>
      <Flex justify="space-between" align="center" wrap gap={8}>
        <Typography.Title level={3} style={{ margin: 0 }}>
          {t('summary.title')}
        </Typography.Title>
        <ExportButtons path="/reports/sales-summary" query={query} />
      </Flex>
      <Space wrap>
        <Select
          aria-label={t('summary.by')}
          prefix={`${t('summary.by')}：`}
          style={{ width: 200 }}
          value={by}
          onChange={(value: SummaryDimension) =>
            setParam({ by: value, by2: value === thenBy ? undefined : thenBy })
          }
          options={DIMENSIONS.map((d) => ({ value: d, label: t(`summary.dimensions.${d}`) }))}
          data-testid="summary-by"
        />
        <Select
          aria-label={t('summary.thenBy')}
          prefix={`${t('summary.thenBy')}：`}
          style={{ width: 200 }}
          value={thenBy ?? ''}
          onChange={(value: string) => setParam({ by2: value || undefined })}
          options={[
            { value: '', label: t('summary.none') },
            ...DIMENSIONS.filter((d) => d !== by).map((d) => ({
              value: d,
              label: t(`summary.dimensions.${d}`),
            })),
          ]}
          data-testid="summary-then"
        />
      </Space>
      <TakingsFilterBar query={filter} zone={zone} />
      <ErrorAlert error={summary.error} />
      {!counted ? <Typography.Text type="secondary">{t('summary.noTickets')}</Typography.Text> : null}
      <Table<Row>
        size="small"
        bordered
        rowKey={(row) => dimensions.map((d) => `${row.group[d]?.siteId ?? ''}:${row.group[d]?.id}`).join('|')}
        loading={summary.isFetching}
        dataSource={data?.rows ?? []}
        columns={columns}
        pagination={false}
        scroll={{ x: 'max-content', y: 560 }}
        sticky
        data-testid="summary-table"
        locale={{
          emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('summary.empty')} />,
        }}
        summary={() =>
          data && data.rows.length > 0 ? (
            <Table.Summary fixed="bottom">
              <Table.Summary.Row data-testid="summary-totals">
                <Table.Summary.Cell index={0} colSpan={dimensions.length}>
                  <Typography.Text strong>{t('summary.total')}</Typography.Text>
                </Table.Summary.Cell>
                {FIGURES.flatMap((figure) => [
                  ...(counted && figure !== 'supplements'
                    ? [
                        <Table.Summary.Cell key={`${figure}-t`} index={0} align="right">
                          <Count value={data.totals[figure].tickets} testId={`sum-${figure}-tickets`} />
                        </Table.Summary.Cell>,
                      ]
                    : []),
                  <Table.Summary.Cell key={`${figure}-a`} index={0} align="right">
                    <Amount fen={data.totals[figure].amountFen} strong testId={`sum-${figure}`} />
                  </Table.Summary.Cell>,
                ])}
              </Table.Summary.Row>
            </Table.Summary>
          ) : null
        }
      />
    </Flex>
  );
}
