/**
 * 月结: one site's month — a row per day (closed, open, or without business), the month's figures by dimension,
 * the adjustments, and each agency's statement. Finance closes it once each day is closed; exports as CSV, XLSX, PDF.
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, Col, Row, Space, Statistic, Table, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api } from '../../api/client';
import type { SettlementMonth } from '../../api/types';
import { allows } from '../../auth/access';
import { useMe } from '../../auth/session';
import { ErrorAlert, QueryView } from '../../components/feedback';
import { formatFen } from '../../format/money';
import { formatDateTime, today } from '../../format/time';
import { Money } from '../desk/labels';
import { useSiteZone } from '../desk/sites';
import { shiftListQuery } from '../shifts/queries';
import { ExportButtons } from './export-buttons';
import { FigureTables } from './figures';
import { PeriodBar, usePeriod } from './period-bar';

type Day = SettlementMonth['days'][number];

function MonthView({ month }: { month: SettlementMonth }) {
  const { t } = useTranslation('shifts');
  const me = useMe().data ?? undefined;
  const zone = useSiteZone(month.siteId);
  const client = useQueryClient();
  const { modal } = App.useApp();
  const close = useMutation({
    mutationFn: () => api.post<SettlementMonth>(`/settlements/months/${month.siteId}/${month.month}/close`),
    onSuccess: (closed) => client.setQueryData(['settlements', 'month', month.siteId, month.month], closed),
  });
  const stateColor = { open: 'orange', closed: 'green', empty: 'default' } as const;
  // Days still to come are left out until something is booked on them; every day so far is listed.
  const todayThere = today(zone);
  const days = month.days.filter(
    (d) => d.state !== 'empty' && (d.date <= todayThere || d.amountFen || d.tickets || d.adjustmentsFen),
  );
  // Cashiers are named from the month's shifts: finance may not read the operators.
  const shifts = useQuery(
    shiftListQuery({
      siteId: month.siteId,
      from: `${month.month}-01`,
      to: month.days.at(-1)?.date,
      limit: 200,
    }),
  );
  const cashierName = (id: string) =>
    shifts.data?.shifts.find((s) => s.cashier.id === id)?.cashier.username ?? id;
  return (
    <>
      <Space style={{ width: '100%', justifyContent: 'space-between', marginBottom: 12 }} wrap>
        <Space wrap>
          <Tag color={stateColor[month.state]} data-testid="settlement-state">
            {t(`settlement.state.${month.state}`)}
          </Tag>
          {month.closedAt !== null && month.closedBy ? (
            <Typography.Text type="secondary">
              {t('settlement.closedBy', {
                by: month.closedBy.username,
                time: formatDateTime(month.closedAt, zone),
              })}
            </Typography.Text>
          ) : null}
        </Space>
        <Space wrap>
          {month.state === 'open' && allows(me, 'settlements.manage') ? (
            <Button
              type="primary"
              loading={close.isPending}
              data-testid="close-month"
              onClick={() =>
                modal.confirm({
                  title: t('settlement.closeMonth'),
                  content: t('settlement.confirmMonth', { month: month.month }),
                  onOk: () => close.mutateAsync(),
                })
              }
            >
              {t('settlement.closeMonth')}
            </Button>
          ) : null}
          <ExportButtons
            path={`/settlements/months/${month.siteId}/${month.month}/export`}
            name={`${t('settlement.monthTitle')} ${month.siteId} ${month.month}`}
          />
        </Space>
      </Space>
      {close.error ? <ErrorAlert error={close.error} /> : null}
      <Card size="small" style={{ marginBottom: 12 }}>
        <Row gutter={16}>
          <Col span={8}>
            <Statistic title={t('settlement.totalMonth')} value={formatFen(month.figures.totals.amountFen)} />
          </Col>
          <Col span={8}>
            <Statistic title={t('settlement.tickets')} value={month.figures.totals.tickets} />
          </Col>
          <Col span={8}>
            <Statistic title={t('settlement.adjustments')} value={formatFen(month.adjustmentsFen)} />
          </Col>
        </Row>
      </Card>
      <Card size="small" title={t('settlement.days')} style={{ marginBottom: 12 }}>
        <Table<Day>
          size="small"
          rowKey="date"
          pagination={false}
          dataSource={days}
          data-testid="month-days"
          columns={[
            {
              title: t('settlement.date'),
              render: (_, d) => (
                <Link to={`/day-settlement?site=${month.siteId}&date=${d.date}`}>{d.date}</Link>
              ),
            },
            {
              title: t('list.state'),
              render: (_, d) => <Tag color={stateColor[d.state]}>{t(`settlement.state.${d.state}`)}</Tag>,
            },
            { title: t('settlement.tickets'), dataIndex: 'tickets', align: 'right' },
            { title: t('settlement.amount'), align: 'right', render: (_, d) => <Money fen={d.amountFen} /> },
            {
              title: t('settlement.carried'),
              align: 'right',
              render: (_, d) => <Money fen={d.carriedInFen} />,
            },
            {
              title: t('settlement.adjustments'),
              align: 'right',
              render: (_, d) => <Money fen={d.adjustmentsFen} />,
            },
          ]}
        />
      </Card>
      <FigureTables siteId={month.siteId} figures={month.figures} cashierName={cashierName} />
    </>
  );
}

export default function MonthSettlementPage() {
  const { t } = useTranslation('shifts');
  const { siteId, period, set } = usePeriod('month');
  const month = useQuery({
    queryKey: ['settlements', 'month', siteId, period],
    queryFn: () => api.get<SettlementMonth>(`/settlements/months/${siteId}/${period}`),
    enabled: siteId !== '',
  });
  return (
    <>
      <Typography.Title level={3}>{t('settlement.monthTitle')}</Typography.Title>
      <PeriodBar kind="month" siteId={siteId} period={period} onChange={set} />
      {siteId ? <QueryView query={month}>{(data) => <MonthView month={data} />}</QueryView> : null}
    </>
  );
}
