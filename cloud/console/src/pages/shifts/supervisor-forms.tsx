/**
 * What a supervisor (shifts.approve) does to a shift after its close: approve a variance above the threshold, with
 * a note; adjust a closed shift — a correction of one tender, its own entry, counted on the day it is made.
 */
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, Form, Input, Select } from 'antd';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../components/feedback';
import { yuanRule, yuanToFen } from './amount';
import { useIntentKey } from './intent-key';
import { refreshShifts, shiftApi } from './queries';

const ADJUSTABLE = ['cash', 'bank_card', 'wechat', 'alipay', 'points'] as const;

export function ApproveForm({ shiftId }: { shiftId: string }) {
  const { t } = useTranslation('shifts');
  const client = useQueryClient();
  const approve = useMutation({
    mutationFn: (values: { note: string }) => shiftApi.approve(shiftId, values.note.trim()),
    onSuccess: () => refreshShifts(client),
  });
  return (
    <Card size="small" title={t('detail.approve')} data-testid="shift-approve">
      <Form layout="inline" onFinish={(values: { note: string }) => approve.mutate(values)}>
        <Form.Item
          name="note"
          label={t('detail.approvalNote')}
          rules={[{ required: true, whitespace: true, message: t('panel.required') }, { max: 200 }]}
        >
          <Input style={{ width: 320 }} data-testid="approval-note" />
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={approve.isPending} data-testid="approve-submit">
          {t('detail.approve')}
        </Button>
      </Form>
      {approve.error ? <ErrorAlert error={approve.error} /> : null}
    </Card>
  );
}

export function AdjustForm({ shiftId }: { shiftId: string }) {
  const { t } = useTranslation('shifts');
  const client = useQueryClient();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ method: string; amount: string; reason: string }>();
  const intent = useIntentKey();
  const adjust = useMutation({
    mutationFn: (values: { method: string; amount: string; reason: string }) =>
      shiftApi.adjust(
        shiftId,
        { method: values.method, amountFen: yuanToFen(values.amount, true)!, reason: values.reason.trim() },
        intent.key(),
      ),
    onSuccess: async () => {
      intent.renew();
      form.resetFields();
      void message.success(t('panel.recorded'));
      await refreshShifts(client);
    },
  });
  return (
    <Card size="small" title={t('detail.adjust')} extra={t('detail.adjustHint')} data-testid="shift-adjust">
      <Form
        form={form}
        layout="inline"
        onValuesChange={intent.renew}
        onFinish={(values) => adjust.mutate(values)}
        style={{ rowGap: 8 }}
      >
        <Form.Item name="method" initialValue="cash" label={t('figures.tender')}>
          <Select
            style={{ width: 130 }}
            options={ADJUSTABLE.map((method) => ({ value: method, label: t(`methods.${method}`) }))}
          />
        </Form.Item>
        <Form.Item
          name="amount"
          label={t('detail.adjustAmount')}
          required
          rules={[yuanRule(t, { signed: true })]}
        >
          <Input style={{ width: 110 }} inputMode="decimal" />
        </Form.Item>
        <Form.Item
          name="reason"
          label={t('panel.reason')}
          rules={[{ required: true, whitespace: true, message: t('panel.required') }, { max: 200 }]}
        >
          <Input style={{ width: 200 }} />
        </Form.Item>
        <Button htmlType="submit" loading={adjust.isPending}>
          {t('detail.adjust')}
        </Button>
      </Form>
      {adjust.error ? <ErrorAlert error={adjust.error} /> : null}
    </Card>
  );
}
