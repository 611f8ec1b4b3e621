/**
 * 补票 for one ticket: an upgrade or extension (another type or a later visit date, for the price difference), an
 * overstay / re-entry / other fee, or the reissue of a lost ticket — as the API offers them. The cloud quotes what is
 * due as the form changes (POST /supplements/quote), the cashier takes the money (cash with change, or one other
 * method for the exact amount), and the supplement is made under one Idempotency-Key per intent, with a second
 * operator's approval when the cloud asks for one. A new ticket (upgrade, reissue) can be printed straight away.
 */
import { keepPreviousData, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  Button,
  DatePicker,
  Descriptions,
  Form,
  Input,
  Modal,
  Radio,
  Result,
  Select,
  Space,
  Typography,
} from 'antd';
import type { Dayjs } from 'dayjs';
import { useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { api } from '../../api/client';
import type {
  PaymentMethod,
  Supplement,
  SupplementQuote,
  SupplementQuoteRequest,
  SupplementRequest,
  Ticket,
  TicketType,
} from '../../api/types';
import { allows } from '../../auth/access';
import { useMe } from '../../auth/session';
import { applyFieldErrors, ErrorAlert } from '../../components/feedback';
import { formatFen, parseYuan } from '../../format/money';
import { today } from '../../format/time';
import { useDownload } from './download';
import { IntentKeys } from './intent';
import { nameOf, StatusTag, useMethodLabel } from './labels';
import { type Approval, useApprovedAction } from './second-approval';
import { savedWindow, saveWindow, useSiteZone, useWindows } from './sites';
import { PAYMENT_METHODS, tender } from './tender';

type Kind = 'upgrade' | 'fee' | 'reissue';
type FeeReason = 'overstay' | 'reentry' | 'other';

interface FormValues {
  kind: Kind;
  windowId?: string;
  toTypeId?: number;
  visitDate?: Dayjs | null;
  reason: FeeReason;
  amount?: string;
  reissueFee?: string;
  cardUid?: string;
  note?: string;
  method: PaymentMethod;
  received?: string;
}

/** Which kinds the ticket allows (the cloud's own checks, so the cashier is not offered what it refuses). */
export function kindsFor(ticket: Ticket, now: number): Record<Kind, boolean> {
  const usable = ticket.status === 'active' && ticket.validTo > now;
  return {
    upgrade: usable && ticket.entriesUsed === 0,
    fee: ticket.status !== 'refunded' && ticket.status !== 'revoked',
    reissue: usable,
  };
}

interface Props {
  readonly ticket: Ticket;
  readonly open: boolean;
  readonly onClose: () => void;
}

export function SupplementDialog({ ticket, open, onClose }: Props) {
  const { t } = useTranslation('desk');
  const [done, setDone] = useState<Supplement | null>(null);
  const close = () => {
    setDone(null);
    onClose();
  };
  return (
    <Modal
      open={open}
      title={t('supplement.title', { id: ticket.ticketId })}
      onCancel={close}
      footer={null}
      width={760}
      destroyOnHidden
      mask={{ closable: false }}
    >
      <div data-testid="supplement-dialog">
        {done ? (
          <SupplementDone supplement={done} onClose={close} />
        ) : (
          <SupplementForm ticket={ticket} onClose={close} onDone={setDone} />
        )}
      </div>
    </Modal>
  );
}

function SupplementForm({
  ticket,
  onClose,
  onDone,
}: {
  ticket: Ticket;
  onClose: () => void;
  onDone: (supplement: Supplement) => void;
}) {
  const { t } = useTranslation('desk');
  const client = useQueryClient();
  const zone = useSiteZone(ticket.siteId);
  const methodLabel = useMethodLabel();
  const [form] = Form.useForm<FormValues>();
  const keys = useRef(new IntentKeys()).current;
  const [now] = useState(() => Date.now());
  const [error, setError] = useState<unknown>(null);
  const kinds = kindsFor(ticket, now);
  const firstKind = (['upgrade', 'fee', 'reissue'] as const).find((kind) => kinds[kind]) ?? 'fee';

  const windows = useWindows(ticket.siteId);
  const activeWindows = (windows.data?.windows ?? []).filter((w) => w.active);
  const types = useQuery({
    queryKey: ['ticket-types', 'list', { siteId: ticket.siteId }],
    queryFn: () => api.get<TicketType[]>('/ticket-types', { siteId: ticket.siteId }),
    staleTime: 60_000,
  });
  const typeOptions = (types.data ?? [])
    .filter((type) => type.active && type.prices.window !== undefined)
    .map((type) => ({
      value: type.typeId,
      label: `${nameOf(type.name)} · ${formatFen(type.prices.window ?? 0)}`,
    }));

  const kind = Form.useWatch('kind', form) ?? firstKind;
  const windowId = Form.useWatch('windowId', form);
  const toTypeId = Form.useWatch('toTypeId', form);
  const visitDate = Form.useWatch('visitDate', form);
  const reason = Form.useWatch('reason', form) ?? 'overstay';
  const amount = Form.useWatch('amount', form);
  const reissueFee = Form.useWatch('reissueFee', form);
  const cardUid = Form.useWatch('cardUid', form);
  const note = Form.useWatch('note', form);
  const method = Form.useWatch('method', form) ?? 'cash';
  const received = Form.useWatch('received', form);

  /** What decides the amount as the form stands (the note and card do not), or why there is nothing yet. */
  const body = useMemo((): SupplementQuoteRequest | { missing: string } => {
    if (!windowId) return { missing: t('supplement.needWindow') };
    if (kind === 'upgrade') {
      const date = visitDate ? visitDate.format('YYYY-MM-DD') : undefined;
      const type = toTypeId ?? ticket.typeId;
      if (type === ticket.typeId && (date === undefined || date === ticket.visitDate))
        return { missing: t('supplement.needChange') };
      return {
        kind,
        ticketId: ticket.ticketId,
        windowId,
        ...(type !== ticket.typeId ? { toTypeId: type } : {}),
        ...(date && date !== ticket.visitDate ? { visitDate: date } : {}),
      };
    }
    if (kind === 'fee') {
      const text = amount?.trim();
      const amountFen = text ? parseYuan(text) : undefined;
      if (text && amountFen === undefined) return { missing: t('money.invalid') };
      if (reason === 'other' && amountFen === undefined) return { missing: t('supplement.needAmount') };
      return {
        kind,
        ticketId: ticket.ticketId,
        windowId,
        reason,
        ...(amountFen !== undefined ? { amountFen } : {}),
      };
    }
    const feeText = reissueFee?.trim();
    const feeFen = feeText ? parseYuan(feeText) : 0;
    if (feeFen === undefined) return { missing: t('money.invalid') };
    return { kind, ticketId: ticket.ticketId, windowId, feeFen };
  }, [kind, windowId, toTypeId, visitDate, reason, amount, reissueFee, ticket, t]);
  const request = 'missing' in body ? null : body;

  const quote = useQuery({
    queryKey: ['supplements', 'quote', request],
    queryFn: () => api.post<SupplementQuote>('/supplements/quote', request),
    enabled: request !== null,
    staleTime: 0,
    retry: false,
    placeholderData: keepPreviousData,
  });
  const quoted = request !== null && !quote.isPlaceholderData ? quote.data : undefined;
  const receivedFen = received?.trim() ? parseYuan(received) : undefined;
  const paid = quoted ? tender(quoted.amountFen, method, receivedFen) : undefined;

  const submission = (): SupplementRequest | null => {
    if (!request || !paid?.ok) return null;
    const trimmedNote = note?.trim();
    const card = cardUid?.trim();
    if (request.kind === 'upgrade') return { ...request, payments: paid.payments };
    if (request.kind === 'fee')
      return { ...request, ...(trimmedNote ? { note: trimmedNote } : {}), payments: paid.payments };
    return {
      ...request,
      ...(trimmedNote ? { note: trimmedNote } : {}),
      ...(card ? { cardUid: card } : {}),
      payments: paid.payments,
    };
  };

  const action = useApprovedAction<Supplement>({
    permission: 'supplements.approve',
    amountFen: quoted?.amountFen,
    send: (approval: Approval | undefined) => {
      const made = submission();
      if (!made) return Promise.reject(new Error('incomplete'));
      return api.post<Supplement>('/supplements', approval ? { ...made, approval } : made, {
        'Idempotency-Key': keys.keyFor(made),
      });
    },
    onSuccess: (supplement) => {
      keys.reset();
      if (windowId) saveWindow(ticket.siteId, windowId);
      for (const key of ['sales', 'supplements', 'lookup', 'tickets', 'refunds'])
        void client.invalidateQueries({ queryKey: [key] });
      onDone(supplement);
    },
    onError: (failure) => {
      if (!applyFieldErrors(form, failure)) setError(failure);
    },
  });

  const initialWindow = savedWindow(ticket.siteId);
  const ready = quoted !== undefined && !quote.isFetching && paid?.ok === true && !quote.error;

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }} data-testid="supplement-form">
      <Descriptions
        size="small"
        column={3}
        items={[
          { key: 'type', label: t('ticket.type'), children: nameOf(ticket.typeName) },
          { key: 'status', label: t('ticket.status'), children: <StatusTag status={ticket.status} /> },
          { key: 'visit', label: t('ticket.visitDate'), children: ticket.visitDate },
          {
            key: 'entries',
            label: t('ticket.entries'),
            children: `${ticket.entriesUsed}/${ticket.entriesTotal ?? '∞'}`,
          },
          { key: 'price', label: t('ticket.price'), children: formatFen(ticket.priceFen) },
          { key: 'holder', label: t('ticket.holder'), children: ticket.holder?.name ?? t('common.none') },
        ]}
      />
      <ErrorAlert error={error} />
      <Form<FormValues>
        form={form}
        name="supplement"
        layout="horizontal"
        labelCol={{ flex: '120px' }}
        labelWrap
        initialValues={{
          kind: firstKind,
          reason: 'overstay',
          method: 'cash',
          toTypeId: ticket.typeId,
          windowId: initialWindow,
        }}
        onValuesChange={() => setError(null)}
        onFinish={() => action.start()}
      >
        <Form.Item label={t('supplement.kind')} name="kind">
          <Radio.Group
            optionType="button"
            buttonStyle="solid"
            options={(['upgrade', 'fee', 'reissue'] as const).map((value) => ({
              value,
              label: t(`supplement.kinds.${value}`),
              disabled: !kinds[value],
            }))}
          />
        </Form.Item>
        <Form.Item
          label={t('supplement.window')}
          name="windowId"
          rules={[{ required: true, message: t('supplement.needWindow') }]}
        >
          <Select
            style={{ maxWidth: 320 }}
            loading={windows.isPending && windows.fetchStatus !== 'idle'}
            placeholder={t('supplement.windowHint')}
            options={activeWindows.map((w) => ({ value: w.id, label: `${w.id} · ${nameOf(w.name)}` }))}
            notFoundContent={windows.error ? t('supplement.noWindows') : undefined}
          />
        </Form.Item>
        {kind === 'upgrade' ? (
          <>
            <Form.Item label={t('supplement.toType')} name="toTypeId">
              <Select
                style={{ maxWidth: 420 }}
                options={typeOptions}
                loading={types.isPending}
                showSearch={{ optionFilterProp: 'label' }}
              />
            </Form.Item>
            <Form.Item label={t('supplement.newDate')} name="visitDate" extra={t('supplement.newDateHint')}>
              <DatePicker
                allowClear
                disabledDate={(day) => day.format('YYYY-MM-DD') < today(zone)}
                placeholder={ticket.visitDate}
              />
            </Form.Item>
          </>
        ) : null}
        {kind === 'fee' ? (
          <>
            <Form.Item label={t('supplement.reason')} name="reason">
              <Radio.Group
                options={(['overstay', 'reentry', 'other'] as const).map((value) => ({
                  value,
                  label: t(`supplement.reasons.${value}`),
                }))}
              />
            </Form.Item>
            <Form.Item
              label={t('supplement.amount')}
              name="amount"
              extra={reason === 'other' ? undefined : t('supplement.amountRate')}
              rules={[
                yuanRule(t('money.invalid'), reason === 'other' ? t('supplement.needAmount') : undefined),
              ]}
            >
              <Input prefix="¥" style={{ maxWidth: 200 }} inputMode="decimal" />
            </Form.Item>
          </>
        ) : null}
        {kind === 'reissue' ? (
          <>
            <Form.Item
              label={t('supplement.reissueFee')}
              name="reissueFee"
              rules={[yuanRule(t('money.invalid'))]}
            >
              <Input prefix="¥" style={{ maxWidth: 200 }} inputMode="decimal" placeholder="0.00" />
            </Form.Item>
            <Form.Item
              label={t('supplement.cardUid')}
              name="cardUid"
              extra={t('supplement.cardUidHint')}
              rules={[
                { max: 64, message: t('common.tooLong', { max: 64 }) },
                { pattern: /^[0-9A-Fa-f:\- ]*$/, message: t('supplement.cardUidInvalid') },
              ]}
            >
              <Input style={{ maxWidth: 280 }} autoComplete="off" />
            </Form.Item>
          </>
        ) : null}
        {kind !== 'upgrade' ? (
          <Form.Item
            label={t('supplement.note')}
            name="note"
            rules={[{ max: 200, message: t('common.tooLong', { max: 200 }) }]}
          >
            <Input maxLength={200} style={{ maxWidth: 420 }} />
          </Form.Item>
        ) : null}

        <QuoteBox
          missing={'missing' in body ? body.missing : undefined}
          quote={quoted}
          error={request ? quote.error : null}
          loading={request !== null && quote.isFetching}
        />

        {quoted && quoted.amountFen > 0 ? (
          <>
            <Form.Item label={t('supplement.method')} name="method">
              <Radio.Group options={PAYMENT_METHODS.map((value) => ({ value, label: methodLabel(value) }))} />
            </Form.Item>
            {method === 'cash' ? (
              <Form.Item
                label={t('supplement.received')}
                name="received"
                extra={
                  paid?.ok && paid.changeFen > 0 ? (
                    <Typography.Text strong type="success" data-testid="supplement-change">
                      {t('supplement.change', { change: formatFen(paid.changeFen) })}
                    </Typography.Text>
                  ) : (
                    t('supplement.receivedHint')
                  )
                }
                rules={[
                  yuanRule(t('money.invalid')),
                  {
                    validator: async (_, value?: string) => {
                      const fen = value?.trim() ? parseYuan(value) : undefined;
                      if (fen !== undefined && fen < quoted.amountFen) throw new Error(t('supplement.short'));
                    },
                  },
                ]}
              >
                <Input prefix="¥" style={{ maxWidth: 200 }} inputMode="decimal" />
              </Form.Item>
            ) : null}
          </>
        ) : null}

        <div style={{ display: 'flex', justifyContent: 'flex-end', gap: 8 }}>
          <Button onClick={onClose}>{t('common.cancel')}</Button>
          <Button
            type="primary"
            htmlType="submit"
            disabled={!ready}
            loading={action.pending}
            data-testid="supplement-submit"
          >
            {quoted
              ? t('supplement.submitAmount', { amount: formatFen(quoted.amountFen) })
              : t('supplement.submit')}
          </Button>
        </div>
      </Form>
      {action.dialog}
    </Space>
  );
}

/** An optional (or, with `required`, mandatory) yuan amount with at most two decimals. */
function yuanRule(invalid: string, required?: string) {
  return {
    validator: async (_: unknown, value?: string) => {
      const text = value?.trim();
      if (!text) {
        if (required) throw new Error(required);
        return;
      }
      if (parseYuan(text) === undefined) throw new Error(invalid);
    },
  };
}

function QuoteBox(props: {
  missing: string | undefined;
  quote: SupplementQuote | undefined;
  error: unknown;
  loading: boolean;
}) {
  const { t } = useTranslation('desk');
  if (props.missing) return <Alert type="info" showIcon title={props.missing} style={{ marginBottom: 16 }} />;
  if (props.error)
    return (
      <div style={{ marginBottom: 16 }}>
        <ErrorAlert error={props.error} />
      </div>
    );
  if (!props.quote)
    return (
      <Typography.Paragraph type="secondary">
        {props.loading ? t('supplement.quoting') : null}
      </Typography.Paragraph>
    );
  const { quote } = props;
  return (
    <Descriptions
      size="small"
      bordered
      column={2}
      style={{ marginBottom: 16 }}
      data-testid="supplement-quote"
      items={[
        {
          key: 'due',
          label: t('supplement.due'),
          children: (
            <Typography.Text strong style={{ fontSize: 18 }} data-testid="supplement-amount">
              {formatFen(quote.amountFen)}
            </Typography.Text>
          ),
        },
        {
          key: 'approval',
          label: t('refund.approval'),
          children: quote.approvalRequired
            ? t('refund.approvalNeeded', { threshold: formatFen(quote.thresholdFen) })
            : t('refund.approvalNotNeeded'),
        },
        ...(quote.newPriceFen !== null
          ? [
              { key: 'price', label: t('supplement.newPrice'), children: formatFen(quote.newPriceFen) },
              { key: 'date', label: t('supplement.newVisitDate'), children: quote.visitDate },
            ]
          : []),
      ]}
    />
  );
}

function SupplementDone({ supplement, onClose }: { supplement: Supplement; onClose: () => void }) {
  const { t } = useTranslation('desk');
  const me = useMe().data ?? undefined;
  const navigate = useNavigate();
  const { download, busy } = useDownload();
  const fresh = supplement.newTicket;
  return (
    <Result
      status="success"
      title={<span data-testid="supplement-done">{t('supplement.done')}</span>}
      subTitle={
        <Space orientation="vertical" size={2}>
          <span>
            {t('supplement.doneAmount', {
              amount: formatFen(supplement.amountFen),
              paid: formatFen(supplement.paidFen),
              change: formatFen(supplement.changeFen),
            })}
          </span>
          {fresh ? <span>{t('supplement.newTicket', { id: fresh.ticketId })}</span> : null}
          {supplement.approvedBy ? (
            <span>{t('supplement.approvedBy', { name: supplement.approvedBy.username })}</span>
          ) : null}
        </Space>
      }
      extra={[
        fresh && allows(me, 'sales.sell') ? (
          <Button
            key="print"
            type="primary"
            loading={busy !== null}
            onClick={() =>
              void download(`/tickets/${fresh.ticketId}/ticket.pdf`, `ticket-${fresh.ticketId}.pdf`)
            }
          >
            {t('supplement.printNew')}
          </Button>
        ) : null,
        fresh?.qrText ? (
          <Button
            key="lookup"
            onClick={() => {
              onClose();
              navigate(`/lookup?code=${encodeURIComponent(fresh.qrText ?? '')}`);
            }}
          >
            {t('supplement.lookupNew')}
          </Button>
        ) : null,
        <Button key="close" onClick={onClose} autoFocus>
          {t('common.done')}
        </Button>,
      ]}
    />
  );
}
