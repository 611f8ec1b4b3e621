/**
 * The cashier's shift at this window (交接班), in a drawer over the till: open one with a float (or take over a
 * till handed to them), record drops and payouts, and close or hand over with the till counted. While open the
 * report shows the reckoning so far — except on a blind count, whose expected figures appear only after the close.
 */
import { useQuery } from '@tanstack/react-query';
import { Drawer, Space, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { TillShift, TillShiftReport } from '../../../api/types';
import { QueryView } from '../../../components/feedback';
import { formatDateTime } from '../../../format/time';
import { myShiftsQuery, shiftReportQuery } from '../../shifts/queries';
import { CashReckoning } from '../../shifts/report-view';
import { ShiftStateTag } from '../../shifts/variance';
import { ClosedResult } from './closed-result';
import { CountForm } from './count-form';
import { MovementForm } from './movement-form';
import { OpenShiftForm } from './open-form';

function OpenShift({
  shift,
  zone,
  onClosed,
}: {
  shift: TillShift;
  zone: string;
  onClosed: (r: TillShiftReport) => void;
}) {
  const { t } = useTranslation('shifts');
  const report = useQuery(shiftReportQuery(shift.id));
  return (
    <Space orientation="vertical" size={12} style={{ width: '100%' }} data-testid="shift-current">
      <Space wrap>
        <ShiftStateTag state={shift.state} />
        <Typography.Text>
          {t('panel.openedAt', { time: formatDateTime(shift.openedAt, zone) })}
        </Typography.Text>
        {shift.blind ? <Typography.Text type="warning">{t('panel.blind')}</Typography.Text> : null}
      </Space>
      <QueryView query={report}>{(data) => <CashReckoning report={data} />}</QueryView>
      <MovementForm shiftId={shift.id} />
      <CountForm shiftId={shift.id} onClosed={onClosed} />
    </Space>
  );
}

export function ShiftDrawer({
  open,
  siteId,
  windowId,
  windowName,
  zone,
  onClose,
}: {
  open: boolean;
  siteId: string;
  windowId: string;
  windowName: string;
  zone: string;
  onClose: () => void;
}) {
  const { t } = useTranslation('shifts');
  const mine = useQuery(myShiftsQuery());
  const [closed, setClosed] = useState<TillShiftReport | null>(null);
  return (
    <Drawer
      open={open}
      onClose={onClose}
      size={760}
      title={t('panel.title', { window: windowName })}
      destroyOnHidden
      data-testid="shift-drawer"
    >
      {closed ? (
        <ClosedResult report={closed} onDone={onClose} />
      ) : (
        <QueryView query={mine}>
          {(data) => {
            const current = data.open.find((s) => s.siteId === siteId && s.windowId === windowId);
            if (current) return <OpenShift shift={current} zone={zone} onClosed={setClosed} />;
            return (
              <OpenShiftForm
                siteId={siteId}
                windowId={windowId}
                handovers={data.handoversToMe.filter((s) => s.siteId === siteId && s.windowId === windowId)}
              />
            );
          }}
        </QueryView>
      )}
    </Drawer>
  );
}
