/** A drop to the safe (上缴) or a payout (支出) from the open till, with its reason. */
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, Form, Input, Segmented } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../../components/feedback';
import { yuanRule, yuanToFen } from '../../shifts/amount';
import { useIntentKey } from '../../shifts/intent-key';
import { refreshShifts, shiftApi } from '../../shifts/queries';

export function MovementForm({ shiftId }: { shiftId: string }) {
  const { t } = useTranslation('shifts');
  const client = useQueryClient();
  const { message } = App.useApp();
  const [kind, setKind] = useState<'drops' | 'payouts'>('drops');
  const [form] = Form.useForm<{ amount: string; reason: string }>();
  const intent = useIntentKey();
  const record = useMutation({
    mutationFn: (values: { amount: string; reason: string }) =>
      shiftApi.movement(
        shiftId,
        kind,
        { amountFen: yuanToFen(values.amount)!, reason: values.reason.trim() },
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
    <Card size="small" title={t('panel.movements')} data-testid="shift-movements">
      <Segmented
        value={kind}
        onChange={(value) => {
          intent.renew();
          setKind(value as 'drops' | 'payouts');
        }}
        options={[
          { value: 'drops', label: t('panel.drop') },
          { value: 'payouts', label: t('panel.payout') },
        ]}
        style={{ marginBottom: 12 }}
      />
      <Form
        form={form}
        layout="inline"
        onValuesChange={intent.renew}
        onFinish={(values) => record.mutate(values)}
      >
        <Form.Item name="amount" label={t('panel.amount')} required rules={[yuanRule(t)]}>
          <Input style={{ width: 110 }} inputMode="decimal" data-testid="movement-amount" />
        </Form.Item>
        <Form.Item
          name="reason"
          label={t('panel.reason')}
          rules={[{ required: true, whitespace: true, message: t('panel.required') }, { max: 200 }]}
        >
          <Input style={{ width: 180 }} data-testid="movement-reason" />
        </Form.Item>
        <Button htmlType="submit" loading={record.isPending} data-testid="movement-submit">
          {t('panel.record')}
        </Button>
      </Form>
      {record.error ? <ErrorAlert error={record.error} /> : null}
    </Card>
  );
}
