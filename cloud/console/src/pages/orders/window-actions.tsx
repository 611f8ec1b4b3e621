/**
 * The window's actions on an order: pick up at a window (group code or one ticket each; the payment when the order
 * pays at the window, with change from cash, as the desk's supplements take it) and, after the visit, close it
 * (unused persons refunded by the order's policy). A refusal shows the catalogue's message and code.
 */
import { Alert, App, Button, Form, Input, Modal, Radio, Select, Space, Statistic, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import type { GroupOrder, PaymentMethod } from '../../api/types';
import { ErrorAlert } from '../../components/feedback';
import { formatFen, parseYuan } from '../../format/money';
import { nameOf } from '../desk/labels';
import { savedWindow, saveWindow, useWindows } from '../desk/sites';
import { PAYMENT_METHODS, tender } from '../desk/tender';
import { orderPath, useOrderChange } from './change';
import { orderPdfUrl } from './shared';

interface PickUpValues {
  windowId: string;
  issue: 'group' | 'individual';
  method: PaymentMethod;
  received: string;
}

export function PickUpDialog({ order, onClose }: { order: GroupOrder; onClose: () => void }) {
  const { t } = useTranslation('orders');
  const { t: tc } = useTranslation();
  const [form] = Form.useForm<PickUpValues>();
  const windows = useWindows(order.siteId);
  const active = (windows.data?.windows ?? []).filter((w) => w.active);
  const paysHere = order.paymentMode === 'window';
  const method = Form.useWatch('method', form) ?? 'cash';
  const receivedText = Form.useWatch('received', form) ?? '';
  const received = receivedText.trim() === '' ? undefined : parseYuan(receivedText);
  const tendered = tender(order.totalFen, method, method === 'cash' ? received : undefined);
  const [done, setDone] = useState<GroupOrder>();
  const change = useOrderChange(order, (body: object) =>
    api.post<GroupOrder>(orderPath(order, '/pick-up'), body),
  );
  const saved = savedWindow(order.siteId);
  const initialWindow =
    active.find((w) => w.id === saved)?.id ?? (active.length === 1 ? active[0]!.id : undefined);
  useEffect(() => {
    if (initialWindow && !form.getFieldValue('windowId')) form.setFieldValue('windowId', initialWindow);
  }, [form, initialWindow]);
  const submit = (values: PickUpValues) => {
    if (paysHere && !tendered.ok) return;
    const payments = paysHere && tendered.ok ? tendered.payments : undefined;
    change.mutate(
      { windowId: values.windowId, issue: values.issue, ...(payments && { payments }) },
      {
        onSuccess: (updated) => {
          saveWindow(order.siteId, values.windowId);
          setDone(updated);
        },
      },
    );
  };
  return (
    <Modal
      open
      width={620}
      title={t('pickUp.title', { reference: order.reference })}
      onCancel={onClose}
      destroyOnHidden
      footer={
        done ? (
          <Space>
            <Button
              type="primary"
              href={orderPdfUrl(order.id)}
              target="_blank"
              rel="noopener"
              data-testid="pick-up-print"
            >
              {t('pickUp.print')}
            </Button>
            <Button onClick={onClose}>{tc('actions.close')}</Button>
          </Space>
        ) : (
          <Space>
            <Button onClick={onClose}>{tc('actions.cancel')}</Button>
            <Button
              type="primary"
              loading={change.isPending}
              disabled={paysHere && !tendered.ok}
              onClick={() => form.submit()}
              data-testid="pick-up-ok"
            >
              {t('pickUp.ok')}
            </Button>
          </Space>
        )
      }
    >
      {done ? (
        <Alert
          type="success"
          showIcon
          data-testid="pick-up-done"
          title={t('pickUp.done', { count: done.tickets.length })}
          description={done.changeFen > 0 ? `${t('pickUp.change')} ${formatFen(done.changeFen)}` : undefined}
        />
      ) : (
        <Form<PickUpValues>
          form={form}
          layout="vertical"
          data-testid="pick-up-form"
          initialValues={{ issue: 'group', method: 'cash', received: '' }}
          onFinish={submit}
        >
          <Form.Item
            name="windowId"
            label={t('pickUp.window')}
            rules={[{ required: true, message: t('pickUp.windowRequired') }]}
          >
            <Select
              style={{ width: 260 }}
              loading={windows.isPending}
              options={active.map((w) => ({ value: w.id, label: `${nameOf(w.name)} (${w.id})` }))}
            />
          </Form.Item>
          <Form.Item
            name="issue"
            label={t('pickUp.issue')}
            extra={order.visitors.length > 0 ? t('pickUp.realNameHelp') : undefined}
          >
            <Radio.Group>
              <Space orientation="vertical">
                <Radio value="group">
                  {t('issue.group')}
                  <Typography.Text type="secondary"> — {t('pickUp.groupHelp')}</Typography.Text>
                </Radio>
                <Radio value="individual">
                  {t('issue.individual')}
                  <Typography.Text type="secondary"> — {t('pickUp.individualHelp')}</Typography.Text>
                </Radio>
              </Space>
            </Radio.Group>
          </Form.Item>
          {paysHere ? (
            <>
              <Space size="large" align="start" wrap>
                <Statistic
                  title={t('pickUp.due')}
                  valueRender={() => <span data-testid="pick-up-due">{formatFen(order.totalFen)}</span>}
                />
                {tendered.ok && tendered.changeFen > 0 ? (
                  <Statistic
                    title={t('pickUp.change')}
                    valueRender={() => (
                      <span data-testid="pick-up-change">{formatFen(tendered.changeFen)}</span>
                    )}
                    styles={{ content: { color: '#0f766e' } }}
                  />
                ) : null}
              </Space>
              <Space wrap size="large" style={{ marginTop: 12 }}>
                <Form.Item name="method" label={t('pickUp.method')}>
                  <Radio.Group
                    optionType="button"
                    options={PAYMENT_METHODS.map((value) => ({ value, label: t(`methods.${value}`) }))}
                  />
                </Form.Item>
                {method === 'cash' ? (
                  <Form.Item
                    name="received"
                    label={t('pickUp.received')}
                    validateStatus={
                      (receivedText.trim() !== '' && received === undefined) || !tendered.ok
                        ? 'error'
                        : undefined
                    }
                    help={
                      receivedText.trim() !== '' && received === undefined
                        ? t('rule.yuan')
                        : !tendered.ok
                          ? t('pickUp.short')
                          : undefined
                    }
                  >
                    <Input
                      prefix="¥"
                      inputMode="decimal"
                      placeholder={(order.totalFen / 100).toFixed(2)}
                      style={{ width: 180 }}
                    />
                  </Form.Item>
                ) : null}
              </Space>
            </>
          ) : (
            <Alert type="info" showIcon title={t('pickUp.prepaid')} style={{ marginBottom: 12 }} />
          )}
          <ErrorAlert error={change.error} />
        </Form>
      )}
    </Modal>
  );
}

export function CloseDialog({ order, onClose }: { order: GroupOrder; onClose: () => void }) {
  const { t } = useTranslation('orders');
  const { t: tc } = useTranslation();
  const { message } = App.useApp();
  const [refundMethod, setRefundMethod] = useState<PaymentMethod>('cash');
  const change = useOrderChange(order, (body: object) =>
    api.post<GroupOrder>(orderPath(order, '/close'), body),
  );
  return (
    <Modal
      open
      title={t('close.title', { reference: order.reference })}
      okText={t('close.ok')}
      cancelText={tc('actions.cancel')}
      confirmLoading={change.isPending}
      onOk={() =>
        change.mutate(order.paymentMode === 'window' ? { refundMethod } : {}, {
          onSuccess: (updated) => {
            const details = (updated.transitions.at(-1)?.details ?? {}) as { refundFen?: number };
            const refund = details.refundFen ?? 0;
            void message.success(t('close.done', { refund: formatFen(refund) }));
            onClose();
          },
        })
      }
      onCancel={onClose}
    >
      <div data-testid="close-dialog">
        <Typography.Paragraph>
          {t('close.body', { permille: order.policy.unusedRefundPermille })}
        </Typography.Paragraph>
        {order.paymentMode === 'window' ? (
          <Form layout="vertical" component={false}>
            <Form.Item label={t('close.refundMethod')}>
              <Radio.Group
                optionType="button"
                value={refundMethod}
                onChange={(event) => setRefundMethod(event.target.value as PaymentMethod)}
                options={PAYMENT_METHODS.map((value) => ({ value, label: t(`methods.${value}`) }))}
              />
            </Form.Item>
          </Form>
        ) : null}
        <ErrorAlert error={change.error} />
      </div>
    </Modal>
  );
}
