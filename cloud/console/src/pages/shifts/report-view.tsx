/**
 * A shift report as the cashier and the supervisor read it: the cash reckoning (float, cash takings, payouts,
 * drops, expected, counted, variance), the non-cash tenders against what was recorded, takings by source. A blind
 * count's expected figures are not in the report until the close, and the view says so instead of showing zeros.
 */
import { Card, Descriptions, Table } from 'antd';
import { useTranslation } from 'react-i18next';
import type { TillShiftReport } from '../../api/types';
import { Money } from '../desk/labels';
import { Variance } from './variance';

export function CashReckoning({ report }: { report: TillShiftReport }) {
  const { t } = useTranslation('shifts');
  const cash = report.cash;
  if (!cash) return report.expectedHidden ? <BlindReckoning report={report} /> : null;
  const hidden = report.expectedHidden;
  const money = (fen: number) => <Money fen={fen} />;
  const items = [
    { key: 'float', label: t('figures.float'), children: money(cash.floatFen) },
    ...(hidden
      ? [{ key: 'hidden', label: t('figures.expected'), children: t('figures.hidden') }]
      : [
          { key: 'sales', label: t('figures.sales'), children: money(cash.salesFen) },
          { key: 'refunds', label: t('figures.refunds'), children: money(cash.refundsFen) },
          ...(cash.supplementsFen
            ? [{ key: 'supplements', label: t('figures.supplements'), children: money(cash.supplementsFen) }]
            : []),
          ...(cash.ordersFen
            ? [{ key: 'orders', label: t('figures.orders'), children: money(cash.ordersFen) }]
            : []),
        ]),
    { key: 'payouts', label: t('figures.payouts'), children: money(-cash.payoutsFen) },
    { key: 'drops', label: t('figures.drops'), children: money(-cash.dropsFen) },
    ...(hidden
      ? []
      : [
          {
            key: 'expected',
            label: t('figures.expected'),
            children: (
              <span data-testid="expected-cash">
                <Money fen={cash.expectedFen} strong />
              </span>
            ),
          },
        ]),
    ...(cash.countedFen === null
      ? []
      : [
          {
            key: 'counted',
            label: t('figures.counted'),
            children: (
              <span data-testid="counted-cash">
                <Money fen={cash.countedFen} strong />
              </span>
            ),
          },
          {
            key: 'variance',
            label: t('figures.variance'),
            children: <Variance fen={cash.varianceFen} testId="variance" />,
          },
        ]),
    ...(cash.adjustmentsFen
      ? [
          { key: 'adjustments', label: t('figures.adjustments'), children: money(cash.adjustmentsFen) },
          {
            key: 'adjusted',
            label: t('figures.adjustedVariance'),
            children: <Variance fen={cash.adjustedVarianceFen} />,
          },
        ]
      : []),
  ];
  return <Descriptions size="small" bordered column={2} items={items} data-testid="cash-reckoning" />;
}

/**
 * A blind count before the close: the report holds no cash figures, only the shift and its drops and payouts, so
 * the cashier sees what they put in and took out, and that the rest appears once the till is counted.
 */
function BlindReckoning({ report }: { report: TillShiftReport }) {
  const { t } = useTranslation('shifts');
  const total = (events: readonly { amountFen: number }[]) => events.reduce((sum, e) => sum + e.amountFen, 0);
  return (
    <Descriptions
      size="small"
      bordered
      column={2}
      data-testid="cash-reckoning"
      items={[
        { key: 'float', label: t('figures.float'), children: <Money fen={report.shift.floatFen} /> },
        { key: 'expected', label: t('figures.expected'), children: t('figures.hidden') },
        { key: 'payouts', label: t('figures.payouts'), children: <Money fen={-total(report.payouts)} /> },
        { key: 'drops', label: t('figures.drops'), children: <Money fen={-total(report.drops)} /> },
      ]}
    />
  );
}

export function TenderTable({ report }: { report: TillShiftReport }) {
  const { t } = useTranslation('shifts');
  const rows = report.tenders.filter((r) => r.expectedFen || r.recordedFen !== null || r.adjustmentsFen);
  if (rows.length === 0) return null;
  const optional = (fen: number | null) => (fen === null ? '—' : <Money fen={fen} />);
  return (
    <Table
      size="small"
      rowKey="method"
      pagination={false}
      dataSource={rows}
      columns={[
        {
          title: t('figures.tender'),
          dataIndex: 'method',
          render: (m: string) => t(`methods.${m}` as 'methods.cash'),
        },
        ...(report.expectedHidden
          ? []
          : [
              {
                title: t('figures.tenderExpected'),
                dataIndex: 'expectedFen',
                render: (f: number) => <Money fen={f} />,
              },
            ]),
        { title: t('figures.tenderRecorded'), dataIndex: 'recordedFen', render: optional },
        ...(report.expectedHidden
          ? []
          : [{ title: t('figures.tenderDifference'), dataIndex: 'differenceFen', render: optional }]),
      ]}
    />
  );
}

export function SourceTable({ report }: { report: TillShiftReport }) {
  const { t } = useTranslation('shifts');
  const rows = report.sources.filter((r) => r.count || r.amountFen);
  if (rows.length === 0) return null;
  return (
    <Table
      size="small"
      rowKey="source"
      pagination={false}
      dataSource={rows}
      data-testid="shift-sources"
      columns={[
        {
          title: t('figures.source'),
          dataIndex: 'source',
          render: (s: string) => t(`sources.${s}` as 'sources.sale'),
        },
        { title: t('figures.count'), dataIndex: 'count', align: 'right' },
        { title: t('figures.tickets'), dataIndex: 'tickets', align: 'right' },
        {
          title: t('figures.amount'),
          dataIndex: 'amountFen',
          align: 'right',
          render: (f: number) => <Money fen={f} />,
        },
      ]}
    />
  );
}

/** The whole report: reckoning, tenders, sources. */
export function ShiftReportView({ report }: { report: TillShiftReport }) {
  const { t } = useTranslation('shifts');
  return (
    <>
      <Card size="small" title={t('detail.cash')}>
        <CashReckoning report={report} />
      </Card>
      {report.tenders.some((r) => r.expectedFen || r.recordedFen !== null) ? (
        <Card size="small" title={t('detail.tenders')} style={{ marginTop: 12 }}>
          <TenderTable report={report} />
        </Card>
      ) : null}
      {report.sources.length ? (
        <Card size="small" title={t('detail.sources')} style={{ marginTop: 12 }}>
          <SourceTable report={report} />
        </Card>
      ) : null}
    </>
  );
}
