/**
 * One shift (/shifts/:shiftId): who, where and when, its report (reckoning, tenders, sources), its drops, payouts
 * and adjustments; a supervisor approves a variance awaiting approval and adjusts a closed shift. The report prints
 * as the 80 mm PDF and exports as CSV, XLSX or PDF.
 */
import { PrinterOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Button, Card, Descriptions, Space, Table, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import type { TillShiftEvent, TillShiftReport } from '../../api/types';
import { apiUrl } from '../../api/url';
import { allows } from '../../auth/access';
import { useMe } from '../../auth/session';
import { QueryView } from '../../components/feedback';
import { formatDateTime } from '../../format/time';
import { Money } from '../desk/labels';
import { useSiteZone } from '../desk/sites';
import { ExportButtons } from '../settlements/export-buttons';
import { shiftExportPath, shiftReportPdfPath, shiftReportQuery } from './queries';
import { ShiftReportView } from './report-view';
import { AdjustForm, ApproveForm } from './supervisor-forms';
import { ShiftStateTag } from './variance';

function Events({ report, zone }: { report: TillShiftReport; zone: string }) {
  const { t } = useTranslation('shifts');
  const events = [...report.drops, ...report.payouts, ...report.adjustments].sort((a, b) => a.at - b.at);
  if (events.length === 0) return null;
  return (
    <Card size="small" title={t('detail.events')} style={{ marginTop: 12 }}>
      <Table<TillShiftEvent>
        size="small"
        rowKey="id"
        pagination={false}
        dataSource={events}
        data-testid="shift-events"
        columns={[
          { title: t('detail.when'), render: (_, e) => formatDateTime(e.at, zone) },
          { title: t('detail.kind'), render: (_, e) => t(`kinds.${e.kind}`) },
          { title: t('figures.tender'), render: (_, e) => t(`methods.${e.method}`) },
          { title: t('figures.amount'), align: 'right', render: (_, e) => <Money fen={e.amountFen} /> },
          { title: t('panel.reason'), render: (_, e) => e.reason ?? '' },
          { title: t('detail.by'), render: (_, e) => e.by.username },
        ]}
      />
    </Card>
  );
}

function Detail({ report }: { report: TillShiftReport }) {
  const { t } = useTranslation('shifts');
  const me = useMe().data ?? undefined;
  const supervisor = allows(me, 'shifts.approve');
  const { shift } = report;
  const zone = useSiteZone(shift.siteId);
  const own = me?.id === shift.cashier.id;
  return (
    <>
      <Space style={{ width: '100%', justifyContent: 'space-between', marginBottom: 12 }} wrap>
        <Typography.Title level={3} style={{ margin: 0 }}>
          {t('detail.title', { window: shift.windowId, cashier: shift.cashier.username })}{' '}
          <ShiftStateTag state={shift.state} />
        </Typography.Title>
        <Space wrap>
          <Button
            icon={<PrinterOutlined />}
            href={apiUrl(shiftReportPdfPath(shift.id))}
            target="_blank"
            rel="noopener"
          >
            {t('panel.printReport')}
          </Button>
          <ExportButtons
            path={shiftExportPath(shift.id)}
            name={`${t('list.title')} ${shift.windowId} ${shift.cashier.username} ${shift.openDate}`}
          />
        </Space>
      </Space>
      <Descriptions
        size="small"
        bordered
        column={3}
        style={{ marginBottom: 12 }}
        items={[
          { key: 'site', label: t('list.site'), children: shift.siteId },
          { key: 'window', label: t('list.window'), children: shift.windowId },
          { key: 'cashier', label: t('list.cashierName'), children: shift.cashier.username },
          { key: 'opened', label: t('list.opened'), children: formatDateTime(shift.openedAt, zone) },
          {
            key: 'closed',
            label: t('list.closed'),
            children: shift.closedAt === null ? '—' : formatDateTime(shift.closedAt, zone),
          },
          { key: 'closedBy', label: t('detail.closedBy'), children: shift.closedBy?.username ?? '—' },
          ...(shift.approval
            ? [
                {
                  key: 'approval',
                  label: t('detail.approval'),
                  span: 3,
                  children: (
                    <span data-testid="approval">
                      {t('detail.approved', { by: shift.approval.by.username, note: shift.approval.note })}
                    </span>
                  ),
                },
              ]
            : []),
        ]}
      />
      {supervisor && !own && shift.state === 'pending_approval' ? <ApproveForm shiftId={shift.id} /> : null}
      <div style={{ marginTop: 12 }}>
        <ShiftReportView report={report} />
      </div>
      <Events report={report} zone={zone} />
      {supervisor && !own && shift.state === 'closed' ? (
        <div style={{ marginTop: 12 }}>
          <AdjustForm shiftId={shift.id} />
        </div>
      ) : null}
    </>
  );
}

export function ShiftDetail() {
  const { t } = useTranslation('shifts');
  const { shiftId = '' } = useParams();
  const report = useQuery(shiftReportQuery(shiftId));
  return (
    <>
      <Link to="/shifts">{t('detail.back')}</Link>
      <div style={{ marginTop: 8 }}>
        <QueryView query={report}>{(data) => <Detail report={data} />}</QueryView>
      </div>
    </>
  );
}
