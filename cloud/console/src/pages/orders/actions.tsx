/**
 * The order's actions, one dialog each: confirm (what the agency's account is debited), modify (headcount per line,
 * date, slot; then the money difference the API reports), cancel (the fee the API says a cancellation now carries,
 * shown before confirming); picking up and closing are in window-actions.tsx. A refusal shows the catalogue's message
 * and code.
 */
import { useQueryClient } from '@tanstack/react-query';
import { Alert, App, DatePicker, Form, Input, InputNumber, Modal, Select, Space, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import type { GroupOrder } from '../../api/types';
import { ErrorAlert } from '../../components/feedback';
import { formatFen } from '../../format/money';
import { formatDateTime } from '../../format/time';
import { useSiteZone } from '../desk/sites';
import { orderPath, useOrderChange } from './change';
import { describeTransition } from './panels';
import { orderKey, useDay, useSlotLabel, useTypeNames } from './shared';
import { CloseDialog, PickUpDialog } from './window-actions';

export type ActionKind = 'confirm' | 'modify' | 'cancel' | 'pickUp' | 'close';

export function OrderActionDialog({
  kind,
  order,
  onClose,
}: {
  kind: ActionKind;
  order: GroupOrder;
  onClose: () => void;
}) {
  switch (kind) {
    case 'confirm':
      return <ConfirmDialog order={order} onClose={onClose} />;
    case 'modify':
      return <ModifyDialog order={order} onClose={onClose} />;
    case 'cancel':
      return <CancelDialog order={order} onClose={onClose} />;
    case 'pickUp':
      return <PickUpDialog order={order} onClose={onClose} />;
    case 'close':
      return <CloseDialog order={order} onClose={onClose} />;
  }
}

function ConfirmDialog({ order, onClose }: { order: GroupOrder; onClose: () => void }) {
  const { t } = useTranslation('orders');
  const { t: tc } = useTranslation();
  const { message } = App.useApp();
  const change = useOrderChange(order, () => api.post<GroupOrder>(orderPath(order, '/confirm')));
  return (
    <Modal
      open
      title={t('confirm.title', { reference: order.reference })}
      okText={t('confirm.ok')}
      cancelText={tc('actions.cancel')}
      confirmLoading={change.isPending}
      onOk={() =>
        change.mutate(undefined, {
          onSuccess: () => {
            void message.success(t('confirm.done'));
            onClose();
          },
        })
      }
      onCancel={onClose}
    >
      <div data-testid="confirm-dialog">
        <Typography.Paragraph>
          {order.paymentMode === 'window'
            ? t('confirm.window', { amount: formatFen(order.totalFen) })
            : t('confirm.ledger', { amount: formatFen(order.totalFen) })}
        </Typography.Paragraph>
        <ErrorAlert error={change.error} />
      </div>
    </Modal>
  );
}

interface ModifyValues {
  visitDate: Dayjs;
  slotId: string;
  quantities: Record<string, number | null>;
}

const NO_SLOT = '';

function ModifyDialog({ order, onClose }: { order: GroupOrder; onClose: () => void }) {
  const { t } = useTranslation('orders');
  const { t: tc } = useTranslation();
  const [form] = Form.useForm<ModifyValues>();
  const typeName = useTypeNames(order.siteId);
  const chosen = Form.useWatch('visitDate', form) as Dayjs | undefined;
  const date = (chosen ?? dayjs(order.visitDate)).format('YYYY-MM-DD');
  const day = useDay(order.siteId, date);
  const slotLabel = useSlotLabel(order.siteId, order.visitDate);
  const quantities = Form.useWatch('quantities', form) as ModifyValues['quantities'] | undefined;
  const headcount = order.lines.reduce((sum, line) => sum + (quantities?.[line.typeId] ?? line.quantity), 0);
  // The order as it was when sent: the dialog's `order` becomes the answer once the cache takes it.
  const [result, setResult] = useState<{ before: GroupOrder; after: GroupOrder }>();
  const change = useOrderChange(order, (body: object) => api.patch<GroupOrder>(orderPath(order), body));
  const submit = (values: ModifyValues) => {
    const visitDate = values.visitDate.format('YYYY-MM-DD');
    const slotId = values.slotId === NO_SLOT ? null : values.slotId;
    const lines = order.lines.map((line) => ({
      typeId: line.typeId,
      quantity: values.quantities[line.typeId] ?? line.quantity,
    }));
    const linesChanged = order.lines.some((line, i) => lines[i]!.quantity !== line.quantity);
    const body = {
      ...(visitDate !== order.visitDate && { visitDate }),
      ...((slotId !== order.slotId || visitDate !== order.visitDate) && { slotId }),
      ...(linesChanged && { lines }),
    };
    if (Object.keys(body).length === 0) {
      onClose();
      return;
    }
    change.mutate(body, { onSuccess: (after) => setResult({ before: order, after }) });
  };
  const last = result?.after.transitions.at(-1);
  const ledgerFen = (last?.details as { ledgerFen?: number } | undefined)?.ledgerFen ?? 0;
  return (
    <Modal
      open
      width={620}
      title={t('modify.title', { reference: order.reference })}
      okText={result ? tc('actions.close') : t('modify.ok')}
      cancelText={tc('actions.cancel')}
      cancelButtonProps={result ? { style: { display: 'none' } } : {}}
      confirmLoading={change.isPending}
      onOk={() => (result ? onClose() : form.submit())}
      onCancel={onClose}
      destroyOnHidden
    >
      {result && last ? (
        <Alert
          type="success"
          showIcon
          data-testid="modify-result"
          title={t('modify.done', {
            before: formatFen(result.before.totalFen),
            after: formatFen(result.after.totalFen),
          })}
          description={
            <>
              <div>{describeTransition(last, t, slotLabel)}</div>
              <div data-testid="modify-difference">
                {t('modify.difference', {
                  amount: `${result.after.totalFen > result.before.totalFen ? '+' : ''}${formatFen(result.after.totalFen - result.before.totalFen)}`,
                })}
                {ledgerFen > 0
                  ? t('modify.ledgerDebit', { amount: formatFen(ledgerFen) })
                  : ledgerFen < 0
                    ? t('modify.ledgerCredit', { amount: formatFen(-ledgerFen) })
                    : order.paymentMode === 'window'
                      ? t('modify.atPickUp')
                      : result.before.state === 'held'
                        ? t('modify.onConfirm')
                        : ''}
              </div>
            </>
          }
        />
      ) : (
        <Form<ModifyValues>
          form={form}
          layout="vertical"
          data-testid="modify-form"
          initialValues={{
            visitDate: dayjs(order.visitDate),
            slotId: order.slotId ?? NO_SLOT,
            quantities: Object.fromEntries(order.lines.map((line) => [line.typeId, line.quantity])),
          }}
          onFinish={submit}
        >
          <Typography.Paragraph type="secondary">{t('modify.help')}</Typography.Paragraph>
          <Space wrap size="large">
            <Form.Item
              name="visitDate"
              label={t('modify.date')}
              rules={[{ required: true, message: t('rule.required') }]}
            >
              <DatePicker allowClear={false} onChange={() => form.setFieldValue('slotId', NO_SLOT)} />
            </Form.Item>
            <Form.Item name="slotId" label={t('modify.slot')}>
              <Select
                style={{ width: 220 }}
                loading={day.isFetching}
                options={[
                  { value: NO_SLOT, label: t('modify.noSlot') },
                  ...(day.data?.slots ?? []).map((slot) => ({
                    value: slot.id,
                    label: `${slot.start}–${slot.end}（${t('modify.remaining', { count: slot.remaining })}）`,
                  })),
                ]}
              />
            </Form.Item>
          </Space>
          <Typography.Title level={5} style={{ marginTop: 0 }}>
            {t('modify.lines')}
          </Typography.Title>
          {order.lines.map((line) => (
            <Form.Item
              key={line.typeId}
              name={['quantities', String(line.typeId)]}
              label={typeName(line.typeId)}
              rules={[{ required: true, message: t('rule.required') }]}
              style={{ marginBottom: 8, marginTop: 8 }}
            >
              <InputNumber min={1} max={999} precision={0} style={{ width: 140 }} />
            </Form.Item>
          ))}
          <Typography.Paragraph data-testid="modify-headcount">
            {t('modify.headcount', { count: headcount })}
          </Typography.Paragraph>
          <ErrorAlert error={change.error} />
        </Form>
      )}
    </Modal>
  );
}

function CancelDialog({ order, onClose }: { order: GroupOrder; onClose: () => void }) {
  const { t } = useTranslation('orders');
  const { t: tc } = useTranslation();
  const { message } = App.useApp();
  const client = useQueryClient();
  const zone = useSiteZone(order.siteId);
  const [reason, setReason] = useState('');
  // The fee depends on the clock: read the order again as the dialog opens.
  useEffect(() => {
    void client.invalidateQueries({ queryKey: orderKey.one(order.id) });
  }, [client, order.id]);
  const change = useOrderChange(order, (body: { reason?: string }) =>
    api.post<GroupOrder>(orderPath(order, '/cancel'), body),
  );
  const fee = order.cancelFeeFen ?? 0;
  const until = formatDateTime(order.policy.cancelFreeUntil, zone);
  return (
    <Modal
      open
      title={t('cancel.title', { reference: order.reference })}
      okText={t('cancel.ok')}
      okButtonProps={{ danger: true }}
      cancelText={tc('actions.cancel')}
      confirmLoading={change.isPending}
      onOk={() =>
        change.mutate(reason.trim() ? { reason: reason.trim() } : {}, {
          onSuccess: (updated) => {
            void message.success(t('cancel.done', { fee: formatFen(updated.feeFen) }));
            onClose();
          },
        })
      }
      onCancel={onClose}
    >
      <div data-testid="cancel-dialog">
        <Alert
          type={fee > 0 ? 'warning' : 'info'}
          showIcon
          data-testid="cancel-fee"
          title={fee > 0 ? t('cancel.fee', { until, fee: formatFen(fee) }) : t('cancel.free', { until })}
          description={
            order.paidFen > 0 && order.agencyId !== null
              ? t('cancel.credit', { amount: formatFen(order.paidFen - fee) })
              : undefined
          }
          style={{ marginBottom: 16 }}
        />
        <Form layout="vertical" component={false}>
          <Form.Item label={t('cancel.reason')} htmlFor="cancel-reason">
            <Input.TextArea
              id="cancel-reason"
              rows={2}
              maxLength={200}
              showCount
              value={reason}
              onChange={(event) => setReason(event.target.value)}
            />
          </Form.Item>
        </Form>
        <ErrorAlert error={change.error} />
      </div>
    </Modal>
  );
}
