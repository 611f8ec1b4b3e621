/**
 * 票效查询: one box for whatever the visitor hands over — a scanned QR code or barcode (the scanner types it and
 * Enter), an IC card UID or an ID number. The answer: is the credential genuine, and for each ticket it leads to,
 * its state, validity in the site's time zone, entries, whether it would pass now (the gates' own rules) and why
 * not, and its sale, refunds, supplements and passages; from here a ticket is reprinted, refunded or supplemented.
 * `/lookup?code=…` (or `?cardUid=…`) opens with that lookup; an ID number never goes into the address.
 */
import {
  PrinterOutlined,
  RollbackOutlined,
  SearchOutlined,
  ShoppingOutlined,
  SwapOutlined,
  WarningFilled,
} from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import {
  Alert,
  Button,
  Card,
  Descriptions,
  Form,
  Input,
  type InputRef,
  Select,
  Space,
  Table,
  Tabs,
  Tag,
  Tooltip,
  Typography,
} from 'antd';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useSearchParams } from 'react-router';
import { api } from '../../../api/client';
import { asApiError } from '../../../api/errors';
import type { LookupEntry, LookupResult, Refund, Supplement, Ticket } from '../../../api/types';
import { allows } from '../../../auth/access';
import { useMe } from '../../../auth/session';
import { EmptyState, ErrorAlert, Loading } from '../../../components/feedback';
import { formatFen } from '../../../format/money';
import { formatDateTime } from '../../../format/time';
import { currentLanguage } from '../../../i18n';
import { useDownload } from '../download';
import { Money, nameOf, StatusTag, shortId, useKindText, usePaymentsText, useReasonText } from '../labels';
import { useRecordColumns } from '../record-columns';
import { RefundDialog } from '../refund-dialog';
import { classifyLookupInput, type LookupInput, type LookupMode, MAX_LENGTH } from '../scan';
import { useSiteLabel, useSiteZone } from '../sites';
import { kindsFor, SupplementDialog } from '../supplement-dialog';
import { EntryState } from './entry-state';

function searchOf(params: URLSearchParams, idNumber: string | null): LookupInput | null {
  if (idNumber) return { param: 'idNumber', value: idNumber };
  const code = params.get('code');
  if (code) return { param: 'code', value: code };
  const cardUid = params.get('cardUid');
  if (cardUid) return { param: 'cardUid', value: cardUid };
  return null;
}

export default function LookupPage() {
  const { t } = useTranslation('desk');
  const [params, setParams] = useSearchParams();
  const [mode, setMode] = useState<LookupMode>('auto');
  const [text, setText] = useState(() => params.get('code') ?? params.get('cardUid') ?? '');
  const [idNumber, setIdNumber] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const input = useRef<InputRef>(null);
  const search = searchOf(params, idNumber);

  const lookup = useQuery({
    queryKey: ['lookup', 'one', search],
    queryFn: ({ signal }) => api.get<LookupResult>('/lookup', { [search!.param]: search!.value }, signal),
    enabled: search !== null,
    staleTime: 0,
    retry: false,
  });

  // After a lookup the operator asked for, the next scan replaces what is in the box (a background refresh, say
  // after a refund, leaves the focus where it is).
  const selectAfter = useRef(false);
  useEffect(() => {
    if (lookup.isFetching || !selectAfter.current) return;
    selectAfter.current = false;
    input.current?.select();
  }, [lookup.isFetching]);

  const submit = () => {
    const found = classifyLookupInput(text, mode);
    if (!found) {
      setProblem(t('lookup.empty'));
      return;
    }
    if (found.value.length > MAX_LENGTH[found.param]) {
      setProblem(t('common.tooLong', { max: MAX_LENGTH[found.param] }));
      return;
    }
    setProblem(null);
    selectAfter.current = true;
    const same = search?.param === found.param && search.value === found.value;
    if (found.param === 'idNumber') {
      setIdNumber(found.value);
      setParams({}, { replace: true });
    } else {
      setIdNumber(null);
      setParams({ [found.param]: found.value });
    }
    if (same) void lookup.refetch();
  };

  const fieldProblem = lookup.error ? asApiError(lookup.error).fieldProblems[0] : undefined;

  return (
    <>
      <Typography.Title level={3}>{t('lookup.title')}</Typography.Title>
      <Card style={{ marginBottom: 16 }}>
        <Form layout="vertical" onFinish={submit}>
          <Form.Item
            label={t('lookup.input')}
            htmlFor="lookup-input"
            validateStatus={problem || fieldProblem ? 'error' : undefined}
            help={problem ?? fieldProblem?.messages[currentLanguage()] ?? t('lookup.hint')}
            style={{ marginBottom: 0 }}
          >
            <Space.Compact style={{ width: '100%', maxWidth: 820 }}>
              <Select<LookupMode>
                value={mode}
                onChange={setMode}
                aria-label={t('lookup.mode')}
                style={{ width: 150 }}
                size="large"
                options={(['auto', 'code', 'card', 'id'] as const).map((value) => ({
                  value,
                  label: t(`lookup.modes.${value}`),
                }))}
              />
              <Input
                id="lookup-input"
                ref={input}
                size="large"
                autoFocus
                allowClear
                autoComplete="off"
                spellCheck={false}
                value={text}
                onChange={(event) => setText(event.target.value)}
                onPressEnter={(event) => {
                  event.preventDefault();
                  submit();
                }}
                placeholder={t('lookup.placeholder')}
                data-testid="lookup-input"
              />
              <Button
                type="primary"
                size="large"
                icon={<SearchOutlined />}
                htmlType="submit"
                loading={lookup.isFetching}
              >
                {t('lookup.submit')}
              </Button>
            </Space.Compact>
          </Form.Item>
        </Form>
      </Card>
      {search === null ? (
        <EmptyState>{t('lookup.idle')}</EmptyState>
      ) : lookup.isPending ? (
        <Loading />
      ) : lookup.error ? (
        fieldProblem ? null : (
          <ErrorAlert error={lookup.error} />
        )
      ) : (
        <LookupAnswer result={lookup.data} />
      )}
    </>
  );
}

function LookupAnswer({ result }: { result: LookupResult }) {
  const { t } = useTranslation('desk');
  const { credential, tickets } = result;
  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }} data-testid="lookup-result">
      {credential.check !== 'OK' ? (
        <Alert
          type={credential.forged || credential.check === 'UNRECOGNISED' ? 'error' : 'warning'}
          showIcon
          data-testid="credential-alert"
          title={credential.forged ? t('lookup.forged') : t(`checks.${credential.check}`)}
          description={`${t(`inputs.${credential.input}`)} · ${credential.check}`}
        />
      ) : null}
      {tickets.length === 0 ? (
        <EmptyState>{t('lookup.none')}</EmptyState>
      ) : (
        tickets.map((entry) => <TicketCard key={entry.ticket.ticketId} entry={entry} />)
      )}
    </Space>
  );
}

function TicketCard({ entry }: { entry: LookupEntry }) {
  const { t } = useTranslation('desk');
  const me = useMe().data ?? undefined;
  const navigate = useNavigate();
  const reasonText = useReasonText();
  const kindText = useKindText();
  const paymentsText = usePaymentsText();
  const columns = useRecordColumns();
  const { download, busy } = useDownload();
  const { ticket, verdict, sale } = entry;
  const zone = useSiteZone(ticket.siteId);
  const siteLabel = useSiteLabel();
  const [refunding, setRefunding] = useState(false);
  const [supplementing, setSupplementing] = useState<Ticket | null>(null);
  const now = Date.now();
  const kinds = kindsFor(ticket, now);
  const canRefund =
    allows(me, 'refunds.request') && sale !== null && ticket.status === 'active' && ticket.validTo > now;
  const canSupplement = allows(me, 'supplements.sell') && (kinds.upgrade || kinds.fee || kinds.reissue);

  return (
    <Card
      data-testid="lookup-ticket"
      title={
        <Space wrap>
          <span>{nameOf(ticket.typeName)}</span>
          <Typography.Text type="secondary">{t('lookup.ticketNo', { id: ticket.ticketId })}</Typography.Text>
          <StatusTag status={ticket.status} />
        </Space>
      }
      extra={
        <Space wrap>
          {allows(me, 'sales.sell') ? (
            <Button
              icon={<PrinterOutlined />}
              loading={busy !== null}
              onClick={() =>
                void download(`/tickets/${ticket.ticketId}/ticket.pdf`, `ticket-${ticket.ticketId}.pdf`)
              }
            >
              {t('lookup.reprint')}
            </Button>
          ) : null}
          {canRefund ? (
            <Button
              danger
              icon={<RollbackOutlined />}
              onClick={() => setRefunding(true)}
              data-testid="lookup-refund"
            >
              {t('sale.refund')}
            </Button>
          ) : null}
          {canSupplement ? (
            <Button
              icon={<SwapOutlined />}
              onClick={() => setSupplementing(ticket)}
              data-testid="lookup-supplement"
            >
              {t('sale.supplement')}
            </Button>
          ) : null}
          {sale && allows(me, 'sales.read') ? (
            <Button
              icon={<ShoppingOutlined />}
              onClick={() => navigate(`/sales?sale=${encodeURIComponent(sale.id)}`)}
            >
              {t('lookup.openSale')}
            </Button>
          ) : null}
        </Space>
      }
    >
      <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
        <Alert
          type={verdict.admit ? 'success' : 'error'}
          showIcon
          data-testid="lookup-verdict"
          title={verdict.admit ? t('lookup.admit') : t('lookup.deny', { reason: reasonText(verdict.reason) })}
          description={`${verdict.admit ? '' : `${verdict.reason} · `}${
            verdict.gateId ? t('lookup.atGate', { gate: verdict.gateId }) : t('lookup.noGate')
          } · ${formatDateTime(verdict.at, zone)}`}
        />
        <Descriptions
          size="small"
          bordered
          column={{ xs: 1, md: 2, xl: 3 }}
          items={[
            { key: 'kind', label: t('ticket.kind'), children: kindText(ticket.kind) },
            { key: 'visit', label: t('ticket.visitDate'), children: ticket.visitDate },
            {
              key: 'validity',
              label: t('ticket.validity'),
              children: (
                <span data-testid="lookup-validity">
                  {formatDateTime(ticket.validFrom, zone)} –{' '}
                  {/* Once a first-use ticket is activated, its window ends with the period it started. */}
                  {formatDateTime(entry.activation?.validUntil ?? ticket.validTo, zone)}
                </span>
              ),
            },
            {
              key: 'entries',
              label: t('ticket.entriesUsed'),
              children: `${ticket.entriesUsed} / ${ticket.entriesTotal ?? t('ticket.unlimited')}`,
            },
            {
              key: 'left',
              label: t('ticket.entriesLeft'),
              children: entry.entriesLeft === null ? t('ticket.unlimited') : entry.entriesLeft,
            },
            { key: 'persons', label: t('ticket.persons'), children: ticket.persons },
            {
              key: 'conflicts',
              label: t('lookup.conflicts'),
              children:
                entry.conflicts.count === 0 ? (
                  t('common.none')
                ) : (
                  <Tooltip title={t('lookup.conflictHint')}>
                    <Tag color="volcano" icon={<WarningFilled />} data-testid="lookup-conflicts">
                      {t('lookup.conflictsValue', entry.conflicts)}
                    </Tag>
                  </Tooltip>
                ),
            },
            {
              key: 'holder',
              label: t('ticket.holder'),
              children: ticket.holder ? `${ticket.holder.name} ${ticket.holder.idMasked}` : t('common.none'),
            },
            {
              key: 'slot',
              label: t('ticket.slot'),
              children: ticket.slot
                ? `${formatDateTime(ticket.slot.start, zone).slice(11, 16)}–${formatDateTime(ticket.slot.end, zone).slice(11, 16)}`
                : t('common.none'),
            },
            { key: 'price', label: t('ticket.price'), children: formatFen(ticket.priceFen) },
            { key: 'barcode', label: t('ticket.barcode'), children: ticket.barcode ?? t('common.none') },
            { key: 'card', label: t('ticket.card'), children: ticket.cardUid ?? t('common.none') },
            { key: 'site', label: t('ticket.site'), children: siteLabel(ticket.siteId) },
          ]}
        />
        <EntryState entry={entry} zone={zone} />
        <Tabs
          items={[
            {
              key: 'passages',
              label: t('lookup.tabs.passages', { count: entry.passages.length }),
              children: (
                <Table
                  size="small"
                  rowKey={(p) => `${p.at}-${p.gateId}-${p.kind}`}
                  dataSource={entry.passages}
                  pagination={entry.passages.length > 10 ? { pageSize: 10 } : false}
                  locale={{ emptyText: t('lookup.noPassages') }}
                  columns={[
                    { title: t('lookup.at'), width: 170, render: (_, p) => formatDateTime(p.at, zone) },
                    {
                      title: t('lookup.passageKind'),
                      width: 90,
                      render: (_, p) => (
                        <Tag color={p.kind === 'passage' ? 'green' : 'red'}>{t(`passage.${p.kind}`)}</Tag>
                      ),
                    },
                    { title: t('lookup.gate'), dataIndex: 'gateId' },
                    {
                      title: t('lookup.direction'),
                      width: 80,
                      render: (_, p) => t(`direction.${p.direction}`),
                    },
                    { title: t('ticket.persons'), dataIndex: 'persons', width: 70, align: 'right' },
                    {
                      title: t('lookup.reason'),
                      // A passage flagged as an offline conflict shows why the cloud would have refused it.
                      render: (_, p) =>
                        p.conflict ? (
                          <Tag color="volcano" icon={<WarningFilled />}>
                            {t('lookup.conflictTag', { reason: reasonText(p.conflict) })}
                          </Tag>
                        ) : p.reason ? (
                          reasonText(p.reason)
                        ) : (
                          '—'
                        ),
                    },
                  ]}
                />
              ),
            },
            {
              key: 'sale',
              label: t('lookup.tabs.sale'),
              children: sale ? (
                <Descriptions
                  size="small"
                  column={{ xs: 1, md: 2, xl: 3 }}
                  items={[
                    {
                      key: 'id',
                      label: t('sale.id'),
                      children: (
                        <Typography.Text copyable={{ text: sale.id }}>{shortId(sale.id)}</Typography.Text>
                      ),
                    },
                    { key: 'at', label: t('sale.at'), children: formatDateTime(sale.createdAt, zone) },
                    {
                      key: 'window',
                      label: t('sale.siteWindow'),
                      children: `${siteLabel(sale.siteId)} / ${sale.windowId ?? '—'}`,
                    },
                    { key: 'cashier', label: t('sale.cashier'), children: sale.cashier.username },
                    { key: 'total', label: t('sale.total'), children: formatFen(sale.totalFen) },
                    {
                      key: 'count',
                      label: t('sale.count'),
                      children: t('sale.countValue', { tickets: sale.ticketCount, persons: sale.persons }),
                    },
                  ]}
                />
              ) : (
                <EmptyState>{t('lookup.noSale')}</EmptyState>
              ),
            },
            {
              key: 'refunds',
              label: t('lookup.tabs.refunds', { count: entry.refunds.length }),
              children: (
                <Table
                  size="small"
                  rowKey="id"
                  dataSource={entry.refunds}
                  pagination={false}
                  locale={{ emptyText: t('lookup.noRefunds') }}
                  columns={[
                    {
                      title: t('refunds.at'),
                      width: 170,
                      render: (_, r) => formatDateTime(r.createdAt, zone),
                    },
                    ...columns.refundMoney,
                    { title: t('refunds.methods'), render: (_, r) => paymentsText(r.payments) },
                    ...columns.staff<Refund>('refunds'),
                    { title: t('refunds.reason'), render: (_, r) => r.reason ?? '—' },
                  ]}
                />
              ),
            },
            {
              key: 'supplements',
              label: t('lookup.tabs.supplements', { count: entry.supplements.length }),
              children: (
                <Table
                  size="small"
                  rowKey="id"
                  dataSource={entry.supplements}
                  pagination={false}
                  locale={{ emptyText: t('lookup.noSupplements') }}
                  columns={[
                    {
                      title: t('supplements.at'),
                      width: 170,
                      render: (_, s) => formatDateTime(s.createdAt, zone),
                    },
                    {
                      title: t('supplements.kind'),
                      width: 100,
                      render: (_, s) => t(`supplement.kinds.${s.kind}`),
                    },
                    {
                      title: t('supplements.tickets'),
                      render: (_, s) =>
                        s.newTicketId ? `${s.ticketId} → ${s.newTicketId}` : String(s.ticketId),
                    },
                    {
                      title: t('supplements.amount'),
                      width: 100,
                      align: 'right',
                      render: (_, s) => <Money fen={s.amountFen} />,
                    },
                    ...columns.staff<Supplement>('supplements'),
                  ]}
                />
              ),
            },
          ]}
        />
      </Space>
      {refunding && sale ? (
        <RefundDialog
          saleId={sale.id}
          open
          initialTicketIds={[ticket.ticketId]}
          onClose={() => setRefunding(false)}
        />
      ) : null}
      {supplementing ? (
        <SupplementDialog ticket={supplementing} open onClose={() => setSupplementing(null)} />
      ) : null}
    </Card>
  );
}
