/**
 * 日结: one site's day — its takings by every dimension, the shifts that worked it, what was carried in from earlier
 * closed days and the adjustments counted on it. Finance (settlements.manage) closes it once every shift is closed
 * (or approved); from then on the report is what it closed with. Exports as CSV, XLSX or PDF.
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Col, Row, Space, Statistic, Table, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api } from '../../api/client';
import type { SettlementDay } from '../../api/types';
import { allows } from '../../auth/access';
import { useMe } from '../../auth/session';
import { ErrorAlert, QueryView } from '../../components/feedback';
import { formatFen } from '../../format/money';
import { formatDateTime } from '../../format/time';
import { Money } from '../desk/labels';
import { useSiteZone } from '../desk/sites';
import { ShiftStateTag, Variance } from '../shifts/variance';
import { ExportButtons } from './export-buttons';
import { FigureTables } from './figures';
import { PeriodBar, usePeriod } from './period-bar';

type Shift = SettlementDay['shifts'][number];

function DayView({ day }: { day: SettlementDay }) {
  const { t } = useTranslation('shifts');
  const me = useMe().data ?? undefined;
  const zone = useSiteZone(day.siteId);
  const client = useQueryClient();
  const { modal } = App.useApp();
  const close = useMutation({
    mutationFn: () => api.post<SettlementDay>(`/settlements/days/${day.siteId}/${day.date}/close`),
    onSuccess: (closed) => client.setQueryData(['settlements', 'day', day.siteId, day.date], closed),
  });
  const waiting = day.shifts.filter((s) => s.state !== 'closed');
  const cashierName = (id: string) => day.shifts.find((s) => s.cashier.id === id)?.cashier.username ?? id;
  return (
    <>
      <Space style={{ width: '100%', justifyContent: 'space-between', marginBottom: 12 }} wrap>
        <Space wrap>
          <Tag color={day.state === 'closed' ? 'green' : 'orange'} data-testid="settlement-state">
            {t(`settlement.state.${day.state}`)}
          </Tag>
          {day.closedAt !== null && day.closedBy ? (
            <Typography.Text type="secondary">
              {t('settlement.closedBy', {
                by: day.closedBy.username,
                time: formatDateTime(day.closedAt, zone),
              })}
            </Typography.Text>
          ) : null}
        </Space>
        <Space wrap>
          {day.state === 'open' && allows(me, 'settlements.manage') ? (
            <Button
              type="primary"
              disabled={waiting.length > 0}
              loading={close.isPending}
              data-testid="close-day"
              onClick={() =>
                modal.confirm({
                  title: t('settlement.closeDay'),
                  content: t('settlement.confirmDay', { date: day.date }),
                  onOk: () => close.mutateAsync(),
                })
              }
            >
              {t('settlement.closeDay')}
            </Button>
          ) : null}
          <ExportButtons
            path={`/settlements/days/${day.siteId}/${day.date}/export`}
            name={`${t('settlement.dayTitle')} ${day.siteId} ${day.date}`}
          />
        </Space>
      </Space>
      {waiting.length > 0 && day.state === 'open' ? (
        <Alert
          type="warning"
          showIcon
          style={{ marginBottom: 12 }}
          title={t('settlement.waiting', { count: waiting.length })}
          data-testid="shifts-waiting"
        />
      ) : null}
      {close.error ? <ErrorAlert error={close.error} /> : null}
      <Card size="small" style={{ marginBottom: 12 }}>
        <Row gutter={16}>
          <Col span={6}>
            <Statistic
              title={t('settlement.total')}
              value={formatFen(day.total.amountFen)}
              data-testid="day-total"
            />
          </Col>
          <Col span={6}>
            <Statistic title={t('settlement.tickets')} value={day.total.tickets} />
          </Col>
          <Col span={6}>
            <Statistic title={t('settlement.persons')} value={day.total.persons} />
          </Col>
          <Col span={6}>
            <Statistic title={t('settlement.adjustments')} value={formatFen(day.total.adjustmentsFen)} />
          </Col>
        </Row>
      </Card>
      <FigureTables siteId={day.siteId} figures={day.figures} cashierName={cashierName} />
      {day.carriedIn.map((carried) => (
        <Card
          key={carried.date}
          size="small"
          style={{ marginTop: 12 }}
          title={t('settlement.carriedIn', { date: carried.date })}
        >
          <Money fen={carried.figures.totals.amountFen} />
        </Card>
      ))}
      <Card size="small" title={t('settlement.shifts')} style={{ marginTop: 12 }}>
        <Table<Shift>
          size="small"
          rowKey="id"
          pagination={false}
          dataSource={day.shifts}
          data-testid="day-shifts"
          columns={[
            { title: t('list.window'), dataIndex: 'windowId' },
            { title: t('list.cashierName'), render: (_, s) => s.cashier.username },
            { title: t('list.state'), render: (_, s) => <ShiftStateTag state={s.state} /> },
            { title: t('list.opened'), render: (_, s) => formatDateTime(s.openedAt, zone) },
            { title: t('list.float'), align: 'right', render: (_, s) => <Money fen={s.floatFen} /> },
            {
              title: t('list.counted'),
              align: 'right',
              render: (_, s) => (s.countedCashFen === null ? '—' : <Money fen={s.countedCashFen} />),
            },
            { title: t('list.variance'), render: (_, s) => <Variance fen={s.varianceFen} /> },
            { title: '', render: (_, s) => <Link to={`/shifts/${s.id}`}>{t('list.detail')}</Link> },
          ]}
        />
      </Card>
    </>
  );
}

export default function DaySettlementPage() {
  const { t } = useTranslation('shifts');
  const { siteId, period, set } = usePeriod('date');
  const day = useQuery({
    queryKey: ['settlements', 'day', siteId, period],
    queryFn: () => api.get<SettlementDay>(`/settlements/days/${siteId}/${period}`),
    enabled: siteId !== '',
  });
  return (
    <>
      <Typography.Title level={3}>{t('settlement.dayTitle')}</Typography.Title>
      <PeriodBar kind="date" siteId={siteId} period={period} onChange={set} />
      {siteId ? <QueryView query={day}>{(data) => <DayView day={data} />}</QueryView> : null}
    </>
  );
}
