/** The till just closed: its variance (长款/短款), whether a supervisor must approve it, and the report to print. */
import { Alert, Button, Card, Space } from 'antd';
import { useTranslation } from 'react-i18next';
import type { TillShiftReport } from '../../../api/types';
import { apiUrl } from '../../../api/url';
import { formatFen } from '../../../format/money';
import { shiftReportPdfPath } from '../../shifts/queries';
import { CashReckoning, TenderTable } from '../../shifts/report-view';

export function ClosedResult({ report, onDone }: { report: TillShiftReport; onDone: () => void }) {
  const { t } = useTranslation('shifts');
  const { shift } = report;
  const threshold = formatFen(shift.thresholdFen ?? 0);
  return (
    <Card size="small" title={t('panel.closed')} data-testid="shift-closed">
      <Alert
        type={shift.state === 'pending_approval' ? 'warning' : 'success'}
        showIcon
        title={
          shift.state === 'pending_approval'
            ? t('panel.needsApproval', { threshold })
            : t('panel.withinThreshold', { threshold })
        }
        style={{ marginBottom: 12 }}
        data-testid="approval-needed"
      />
      <CashReckoning report={report} />
      <div style={{ marginTop: 12 }}>
        <TenderTable report={report} />
      </div>
      <Space style={{ marginTop: 12 }}>
        <Button
          href={apiUrl(shiftReportPdfPath(shift.id))}
          target="_blank"
          rel="noopener"
          data-testid="shift-report-pdf"
        >
          {t('panel.printReport')}
        </Button>
        <Button type="primary" onClick={onDone}>
          {t('panel.done')}
        </Button>
      </Space>
    </Card>
  );
}
