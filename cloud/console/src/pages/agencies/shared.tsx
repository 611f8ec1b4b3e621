/**
 * What the staff's agency detail and an agency operator's own account share: the ledger (server-paged, newest
 * first), the statement for a period, status and payment-mode tags, and the account's figures. Each takes the API
 * path it reads — `/agencies/<id>` for the staff, `/agencies/mine` for the agency's own operators.
 */
import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import {
  Alert,
  Button,
  Card,
  DatePicker,
  Descriptions,
  Form,
  Space,
  Statistic,
  Table,
  Tag,
  Typography,
} from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import type {
  Agency,
  AgencyLedgerEntry,
  AgencyLedgerKind,
  AgencyLedgerPage,
  AgencyStatement,
} from '../../api/types';
import { ExportButtons } from '../../components/export-buttons';
import { ErrorAlert, QueryView } from '../../components/feedback';
import { MoreButton } from '../../components/more-button';
import { formatFen } from '../../format/money';
import { formatDateTime, today } from '../../format/time';
import { monthOf, statementIdentity } from './rules';

export const LEDGER_PAGE = 50;
export const agencyKey = {
  all: ['agencies'] as const,
  list: (status?: string) => ['agencies', 'list', status ?? 'any'] as const,
  /** Everything read under one agency's path (`/agencies/<id>` or `/agencies/mine`). */
  of: (base: string) => ['agencies', 'one', base] as const,
};

/** Ledger kinds in the order a statement lists them (the API's stable values). */
export const KINDS: readonly AgencyLedgerKind[] = [
  'topup',
  'order_debit',
  'fee',
  'cancellation_credit',
  'refund_credit',
  'adjustment',
];

export function StatusTag({ status }: { status: Agency['status'] }) {
  const { t } = useTranslation('agencies');
  return <Tag color={status === 'active' ? 'green' : 'default'}>{t(`status.${status}`)}</Tag>;
}

export function ModeTag({ mode }: { mode: Agency['paymentMode'] }) {
  const { t } = useTranslation('agencies');
  const color = mode === 'prepaid' ? 'blue' : mode === 'credit' ? 'purple' : 'default';
  return <Tag color={color}>{t(`mode.${mode}`)}</Tag>;
}

/** Red for a negative amount (credit used, a debit), as a ledger reads. */
export function Money({ fen, testId }: { fen: number; testId?: string }) {
  return (
    <Typography.Text
      type={fen < 0 ? 'danger' : undefined}
      data-testid={testId}
      style={{ whiteSpace: 'nowrap' }}
    >
      {formatFen(fen)}
    </Typography.Text>
  );
}

/** An account's figures: mode, balance, what orders may still debit, the credit limit in credit mode. */
export function AccountFigures({ agency }: { agency: Agency }) {
  const { t } = useTranslation('agencies');
  return (
    <Space size={48} wrap style={{ marginBottom: 16 }} data-testid="account-figures">
      <Statistic title={t('field.paymentMode')} valueRender={() => <ModeTag mode={agency.paymentMode} />} />
      <Statistic
        title={t('field.balance')}
        valueRender={() => <span data-testid="balance">{formatFen(agency.balanceFen)}</span>}
        styles={{ content: { color: agency.balanceFen < 0 ? '#cf1322' : undefined } }}
      />
      {agency.availableFen !== null ? (
        <Statistic title={t('field.available')} valueRender={() => formatFen(agency.availableFen ?? 0)} />
      ) : null}
      {agency.paymentMode === 'credit' ? (
        <Statistic title={t('field.creditLimit')} valueRender={() => formatFen(agency.creditLimitFen)} />
      ) : null}
      <Statistic title={t('field.status')} valueRender={() => <StatusTag status={agency.status} />} />
    </Space>
  );
}

/** The ledger, newest first, a page at a time from the server. */
export function Ledger({ base, zone }: { base: string; zone: string }) {
  const { t } = useTranslation('agencies');
  const ledger = useInfiniteQuery({
    queryKey: [...agencyKey.of(base), 'ledger'],
    queryFn: ({ pageParam, signal }) =>
      api.get<AgencyLedgerPage>(`${base}/ledger`, { limit: LEDGER_PAGE, before: pageParam }, signal),
    initialPageParam: undefined as number | undefined,
    getNextPageParam: (page) => page.next ?? undefined,
  });
  const entries = ledger.data?.pages.flatMap((page) => page.entries) ?? [];
  return (
    <QueryView query={ledger}>
      {() => (
        <>
          <Table<AgencyLedgerEntry>
            rowKey="seq"
            size="middle"
            dataSource={entries}
            pagination={false}
            loading={ledger.isFetching && !ledger.isFetchingNextPage}
            data-testid="ledger"
            locale={{ emptyText: t('ledger.empty') }}
            scroll={{ x: 900 }}
            columns={[
              {
                title: t('ledger.at'),
                key: 'at',
                width: 170,
                render: (_, entry) => formatDateTime(entry.at, zone),
              },
              {
                title: t('ledger.kind'),
                key: 'kind',
                width: 130,
                render: (_, entry) => <Tag>{t(`kind.${entry.kind}`)}</Tag>,
              },
              {
                title: t('ledger.amount'),
                key: 'amount',
                align: 'right',
                width: 140,
                render: (_, entry) => <Money fen={entry.amountFen} />,
              },
              {
                title: t('ledger.balanceAfter'),
                key: 'balance',
                align: 'right',
                width: 140,
                render: (_, entry) => <Money fen={entry.balanceAfterFen} />,
              },
              { title: t('ledger.note'), dataIndex: 'note', ellipsis: true },
              {
                title: t('ledger.order'),
                dataIndex: 'orderId',
                width: 150,
                ellipsis: true,
                render: (id: string | null) => (id ? <Typography.Text code>{id}</Typography.Text> : null),
              },
              { title: t('ledger.actor'), dataIndex: 'actor', width: 120 },
            ]}
          />
          <ErrorAlert error={ledger.isFetchNextPageError ? ledger.error : null} />
          <MoreButton list={ledger} style={{ marginTop: 12 }} />
        </>
      )}
    </QueryView>
  );
}

/** A statement for a period of venue-local days; this month until another is chosen. */
export function StatementView({ base, zone }: { base: string; zone: string }) {
  const { t } = useTranslation('agencies');
  const [period, setPeriod] = useState(() => monthOf(today(zone)));
  const statement = useQuery({
    queryKey: [...agencyKey.of(base), 'statement', period],
    queryFn: ({ signal }) => api.get<AgencyStatement>(`${base}/statement`, period, signal),
  });
  return (
    <>
      <Form<{ range: [Dayjs, Dayjs] }>
        layout="inline"
        requiredMark={false}
        initialValues={{ range: [dayjs(period.from), dayjs(period.to)] }}
        onFinish={({ range }) =>
          setPeriod({ from: range[0].format('YYYY-MM-DD'), to: range[1].format('YYYY-MM-DD') })
        }
        style={{ marginBottom: 16, rowGap: 8 }}
      >
        <Form.Item
          name="range"
          label={t('statement.pickRange')}
          rules={[{ required: true, message: t('rule.required') }]}
        >
          <DatePicker.RangePicker
            allowClear={false}
            placeholder={[t('statement.from'), t('statement.to')]}
            data-testid="statement-range"
          />
        </Form.Item>
        <Form.Item>
          <Button type="primary" htmlType="submit" data-testid="statement-show">
            {t('statement.show')}
          </Button>
        </Form.Item>
        <Form.Item>
          <ExportButtons path={`${base}/statement`} query={period} />
        </Form.Item>
      </Form>
      <QueryView query={statement}>{(data) => <StatementFigures statement={data} />}</QueryView>
    </>
  );
}

function StatementFigures({ statement }: { statement: AgencyStatement }) {
  const { t } = useTranslation('agencies');
  const { expectedFen, balanced } = statementIdentity(statement);
  const figures = [
    { key: 'opening', fen: statement.openingBalanceFen },
    { key: 'topUps', fen: statement.topUpsFen },
    { key: 'debits', fen: statement.debitsFen },
    { key: 'credits', fen: statement.creditsFen },
    { key: 'closing', fen: statement.closingBalanceFen },
  ] as const;
  const rows = KINDS.map((kind) => ({ kind, ...(statement.byKind[kind] ?? { count: 0, amountFen: 0 }) }));
  return (
    <div data-testid="statement">
      <Typography.Paragraph type="secondary">
        {t('statement.period', { from: statement.from, to: statement.to })}
      </Typography.Paragraph>
      <Card size="small" style={{ marginBottom: 16 }}>
        <Space size={40} wrap>
          {figures.map((figure) => (
            <Statistic
              key={figure.key}
              title={t(`statement.${figure.key}`)}
              valueRender={() => (
                <span data-testid={`statement-${figure.key}`} style={{ whiteSpace: 'nowrap' }}>
                  {formatFen(figure.fen)}
                </span>
              )}
            />
          ))}
        </Space>
        <Typography.Paragraph style={{ marginTop: 12, marginBottom: 0 }} data-testid="statement-identity">
          {t('statement.identity', {
            opening: formatFen(statement.openingBalanceFen),
            topUps: formatFen(statement.topUpsFen),
            debits: formatFen(statement.debitsFen),
            credits: formatFen(statement.creditsFen),
            closing: formatFen(statement.closingBalanceFen),
          })}
        </Typography.Paragraph>
      </Card>
      {balanced ? null : (
        <Alert
          type="error"
          showIcon
          title={t('statement.identityBroken', { expected: formatFen(expectedFen) })}
          style={{ marginBottom: 16 }}
        />
      )}
      <Typography.Title level={5}>{t('statement.byKind')}</Typography.Title>
      <Table
        rowKey="kind"
        size="small"
        pagination={false}
        dataSource={rows}
        style={{ maxWidth: 560 }}
        columns={[
          { title: t('statement.kind'), key: 'kind', render: (_, row) => t(`kind.${row.kind}`) },
          { title: t('statement.count'), dataIndex: 'count', align: 'right', width: 90 },
          {
            title: t('statement.amount'),
            key: 'amount',
            align: 'right',
            width: 160,
            render: (_, row) => <Money fen={row.amountFen} />,
          },
        ]}
      />
    </div>
  );
}

/** An agency's details as a description list (licence, contacts, times). */
export function AgencyDetails({ agency, zone }: { agency: Agency; zone: string }) {
  const { t } = useTranslation('agencies');
  return (
    <Descriptions size="small" column={{ xs: 1, md: 2 }} style={{ marginBottom: 16 }}>
      <Descriptions.Item label={t('field.licenceNo')}>{agency.licenceNo}</Descriptions.Item>
      <Descriptions.Item label={t('field.updatedAt')}>
        {formatDateTime(agency.updatedAt, zone)}
      </Descriptions.Item>
      <Descriptions.Item label={t('field.contacts')} span={2}>
        <ContactList contacts={agency.contacts} />
      </Descriptions.Item>
    </Descriptions>
  );
}

export function ContactList({ contacts }: { contacts: Agency['contacts'] }) {
  if (contacts.length === 0) return <Typography.Text type="secondary">—</Typography.Text>;
  return (
    <Space orientation="vertical" size={0}>
      {contacts.map((contact) => (
        <span key={`${contact.name}|${contact.phone}`}>
          {contact.name} · {contact.phone}
          {contact.email ? ` · ${contact.email}` : ''}
        </span>
      ))}
    </Space>
  );
}
