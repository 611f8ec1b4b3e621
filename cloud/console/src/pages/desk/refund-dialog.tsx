/**
 * 退票: choose tickets of one sale, see what goes back (the cloud's own quote: per ticket, fee, by which methods,
 * whether a second operator must approve), choose how the money goes back and why, and refund. One Idempotency-Key
 * per intent, reused on a retry and when the approval is added.
 */
import { useQuery, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  App,
  Button,
  Descriptions,
  Form,
  Input,
  Modal,
  Radio,
  Space,
  Table,
  Tag,
  Typography,
} from 'antd';
import { useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import type {
  PaymentMethod,
  Refund,
  RefundQuote,
  RefundQuoteRequest,
  RefundRequest,
  Sale,
  Ticket,
} from '../../api/types';
import { applyFieldErrors, ErrorAlert, Loading } from '../../components/feedback';
import { formatFen } from '../../format/money';
import { formatDateTime } from '../../format/time';
import { IntentKeys } from './intent';
import { Money, nameOf, StatusTag, shortId, useMethodLabel, usePaymentsText } from './labels';
import { type Approval, useApprovedAction } from './second-approval';
import { useSiteZone } from './sites';

interface Props {
  readonly saleId: string;
  readonly open: boolean;
  /** Tickets ticked when the dialog opens (e.g. the one looked up). */
  readonly initialTicketIds?: readonly number[];
  readonly onClose: () => void;
}

/** A ticket the cloud may refund: active and not yet expired (the quote says the rest: policy, deadline, use). */
function refundable(ticket: Ticket, now: number): boolean {
  return ticket.status === 'active' && ticket.validTo > now;
}

export function RefundDialog({ saleId, open, initialTicketIds, onClose }: Props) {
  const { t } = useTranslation('desk');
  const sale = useQuery({
    queryKey: ['sales', 'one', saleId],
    queryFn: () => api.get<Sale>(`/sales/${saleId}`),
    enabled: open,
  });
  return (
    <Modal
      open={open}
      title={t('refund.title')}
      onCancel={onClose}
      footer={null}
      width={820}
      destroyOnHidden
      mask={{ closable: false }}
    >
      {sale.isPending ? (
        <Loading />
      ) : sale.error || !sale.data ? (
        <ErrorAlert error={sale.error} />
      ) : (
        <RefundForm sale={sale.data} initialTicketIds={initialTicketIds} onClose={onClose} />
      )}
    </Modal>
  );
}

interface FormValues {
  method: 'original' | PaymentMethod;
  reason?: string;
}

function RefundForm({
  sale,
  initialTicketIds,
  onClose,
}: {
  sale: Sale;
  initialTicketIds: readonly number[] | undefined;
  onClose: () => void;
}) {
  const { t } = useTranslation('desk');
  const { message } = App.useApp();
  const client = useQueryClient();
  const zone = useSiteZone(sale.siteId);
  const methodLabel = useMethodLabel();
  const paymentsText = usePaymentsText();
  const [form] = Form.useForm<FormValues>();
  const keys = useRef(new IntentKeys()).current;
  const [now] = useState(() => Date.now());
  const [error, setError] = useState<unknown>(null);

  const [selected, setSelected] = useState<number[]>(() =>
    sale.tickets
      .filter((ticket) => refundable(ticket, now) && (initialTicketIds ?? []).includes(ticket.ticketId))
      .map((ticket) => ticket.ticketId),
  );
  const method = Form.useWatch('method', form) ?? 'original';
  const methods = useMemo(() => [...new Set(sale.payments.map((p) => p.method))], [sale.payments]);
  const ticketIds = useMemo(() => [...selected].sort((a, b) => a - b), [selected]);

  const base = useQuery({
    queryKey: ['refunds', 'quote', sale.id, ticketIds],
    queryFn: () =>
      api.post<RefundQuote>('/refunds/quote', { saleId: sale.id, ticketIds } satisfies RefundQuoteRequest),
    enabled: ticketIds.length > 0,
    staleTime: 0,
    retry: false,
  });
  const chosen =
    method === 'original' || !base.data ? undefined : [{ method, amountFen: base.data.amountFen }];
  const check = useQuery({
    queryKey: ['refunds', 'quote', sale.id, ticketIds, chosen],
    queryFn: () =>
      api.post<RefundQuote>('/refunds/quote', {
        saleId: sale.id,
        ticketIds,
        payments: chosen,
      } satisfies RefundQuoteRequest),
    enabled: ticketIds.length > 0 && chosen !== undefined && chosen[0]!.amountFen > 0,
    staleTime: 0,
    retry: false,
  });
  const quote = chosen ? check.data : base.data;
  const quoteError = base.error ?? (chosen ? check.error : null);
  const quoting = ticketIds.length > 0 && (base.isFetching || (chosen !== undefined && check.isFetching));

  const request = (): RefundRequest => {
    const reason = form.getFieldValue('reason')?.trim();
    return {
      saleId: sale.id,
      ticketIds,
      ...(chosen && chosen[0]!.amountFen > 0 ? { payments: chosen } : {}),
      ...(reason ? { reason } : {}),
    };
  };

  const action = useApprovedAction<Refund>({
    permission: 'refunds.approve',
    amountFen: quote?.amountFen,
    send: (approval: Approval | undefined) => {
      const body = request();
      return api.post<Refund>('/refunds', approval ? { ...body, approval } : body, {
        'Idempotency-Key': keys.keyFor(body),
      });
    },
    onSuccess: (refund) => {
      keys.reset();
      void message.success(t('refund.done', { amount: formatFen(refund.amountFen) }));
      for (const key of ['sales', 'refunds', 'lookup', 'tickets'])
        void client.invalidateQueries({ queryKey: [key] });
      onClose();
    },
    onError: (failure) => {
      if (!applyFieldErrors(form, failure)) setError(failure);
    },
  });

  const ready = ticketIds.length > 0 && quote !== undefined && !quoteError && !quoting;

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }} data-testid="refund-dialog">
      <Typography.Text type="secondary">
        {t('refund.saleLine', {
          id: shortId(sale.id),
          at: formatDateTime(sale.createdAt, zone),
          total: formatFen(sale.totalFen),
          paid: paymentsText(sale.payments),
        })}
      </Typography.Text>
      <Table<Ticket>
        size="small"
        rowKey="ticketId"
        dataSource={sale.tickets}
        pagination={false}
        scroll={{ y: 220 }}
        rowSelection={{
          selectedRowKeys: selected,
          onChange: (keys) => {
            setError(null);
            setSelected(keys.map(Number));
          },
          getCheckboxProps: (ticket) => ({
            disabled: !refundable(ticket, now),
            'aria-label': t('refund.pick', { id: ticket.ticketId }),
          }),
        }}
        columns={[
          { title: t('ticket.id'), dataIndex: 'ticketId', width: 150 },
          { title: t('ticket.type'), render: (_, ticket) => nameOf(ticket.typeName) },
          { title: t('ticket.visitDate'), dataIndex: 'visitDate', width: 110 },
          {
            title: t('ticket.entries'),
            width: 90,
            render: (_, ticket) => `${ticket.entriesUsed}/${ticket.entriesTotal ?? '∞'}`,
          },
          {
            title: t('ticket.status'),
            width: 90,
            render: (_, ticket) => <StatusTag status={ticket.status} />,
          },
          {
            title: t('ticket.price'),
            width: 100,
            align: 'right',
            render: (_, ticket) => <Money fen={ticket.priceFen} />,
          },
        ]}
      />
      {ticketIds.length === 0 ? (
        <Alert type="info" showIcon title={t('refund.pickFirst')} />
      ) : quoteError ? (
        <ErrorAlert error={quoteError} />
      ) : quote ? (
        <Descriptions
          size="small"
          bordered
          column={2}
          data-testid="refund-quote"
          items={[
            {
              key: 'amount',
              label: t('refund.amount'),
              children: (
                <Typography.Text strong style={{ fontSize: 18 }} data-testid="refund-amount">
                  {formatFen(quote.amountFen)}
                </Typography.Text>
              ),
            },
            { key: 'fee', label: t('refund.fee'), children: formatFen(quote.feeFen) },
            { key: 'count', label: t('refund.count'), children: quote.tickets.length },
            {
              key: 'approval',
              label: t('refund.approval'),
              children: quote.approvalRequired ? (
                <Tag color="orange">
                  {t('refund.approvalNeeded', { threshold: formatFen(quote.thresholdFen) })}
                </Tag>
              ) : (
                t('refund.approvalNotNeeded')
              ),
            },
            { key: 'back', label: t('refund.back'), span: 2, children: paymentsText(quote.payments) },
          ]}
        />
      ) : (
        <Loading />
      )}
      <ErrorAlert error={error} />
      <Form<FormValues>
        form={form}
        name="refund"
        layout="vertical"
        initialValues={{ method: 'original' }}
        onValuesChange={() => setError(null)}
        onFinish={() => action.start()}
      >
        <Form.Item label={t('refund.method')} name="method">
          <Radio.Group
            options={[
              { value: 'original', label: t('refund.original') },
              ...methods.map((m) => ({ value: m, label: t('refund.allBy', { method: methodLabel(m) }) })),
            ]}
          />
        </Form.Item>
        <Form.Item
          label={t('refund.reason')}
          name="reason"
          rules={[{ max: 200, message: t('common.tooLong', { max: 200 }) }]}
        >
          <Input.TextArea rows={2} maxLength={200} showCount placeholder={t('refund.reasonHint')} />
        </Form.Item>
        <div style={{ display: 'flex', justifyContent: 'flex-end', gap: 8 }}>
          <Button onClick={onClose}>{t('common.cancel')}</Button>
          <Button
            type="primary"
            danger
            htmlType="submit"
            disabled={!ready}
            loading={action.pending}
            data-testid="refund-submit"
          >
            {quote ? t('refund.submitAmount', { amount: formatFen(quote.amountFen) }) : t('refund.submit')}
          </Button>
        </div>
      </Form>
      {action.dialog}
    </Space>
  );
}
