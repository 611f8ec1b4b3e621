/** No shift at this window yet: open one with a counted float, or take over a till handed over to this cashier. */
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Card, Form, Input, List } from 'antd';
import { useTranslation } from 'react-i18next';
import type { TillShift } from '../../../api/types';
import { ErrorAlert } from '../../../components/feedback';
import { formatFen } from '../../../format/money';
import { yuanRule, yuanToFen } from '../../shifts/amount';
import { refreshShifts, shiftApi } from '../../shifts/queries';

export function OpenShiftForm({
  siteId,
  windowId,
  handovers,
}: {
  siteId: string;
  windowId: string;
  handovers: readonly TillShift[];
}) {
  const { t } = useTranslation('shifts');
  const client = useQueryClient();
  const open = useMutation({
    mutationFn: (body: { floatFen?: number; handoverFrom?: string }) =>
      shiftApi.open({ siteId, windowId, ...body }),
    onSuccess: () => refreshShifts(client),
  });
  return (
    <Card size="small" title={t('panel.openTitle')} data-testid="shift-open">
      <Alert type="info" showIcon title={t('panel.openHint')} style={{ marginBottom: 12 }} />
      <Form
        layout="inline"
        onFinish={(values: { float: string }) => open.mutate({ floatFen: yuanToFen(values.float)! })}
      >
        <Form.Item name="float" label={t('panel.float')} required rules={[yuanRule(t)]} initialValue="">
          <Input style={{ width: 140 }} inputMode="decimal" data-testid="shift-float" autoFocus />
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={open.isPending} data-testid="shift-open-submit">
          {t('panel.open')}
        </Button>
      </Form>
      {handovers.length > 0 ? (
        <List
          style={{ marginTop: 12 }}
          size="small"
          dataSource={[...handovers]}
          renderItem={(shift) => (
            <List.Item
              actions={[
                <Button key="take" onClick={() => open.mutate({ handoverFrom: shift.id })}>
                  {t('panel.takeOverButton')}
                </Button>,
              ]}
            >
              {t('panel.takeOver', {
                cashier: shift.cashier.username,
                amount: formatFen(shift.countedCashFen ?? 0),
              })}
            </List.Item>
          )}
        />
      ) : null}
      {open.error ? <ErrorAlert error={open.error} /> : null}
    </Card>
  );
}
