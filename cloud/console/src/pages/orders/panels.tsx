/**
 * An order's tabs: lines, visitors (ID masked as the API gives them), money, tickets and the state log. The agency
 * account's movements are read from the state log's details (what each transition debited or credited), so they
 * show for an operator who may not read the agency's ledger too.
 */
import { Table, Tag, Typography } from 'antd';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import type { GroupOrder, Ticket } from '../../api/types';
import { formatFen } from '../../format/money';
import { formatDateTime } from '../../format/time';
import { Money, nameOf, StatusTag } from '../desk/labels';
import { useSiteZone } from '../desk/sites';
import { ledgerMovements } from './ledger';
import { StateTag, useSlotLabel, useTypeNames } from './shared';

type Transition = GroupOrder['transitions'][number];

export function LinesTable({ order }: { order: GroupOrder }) {
  const { t } = useTranslation('orders');
  const typeName = useTypeNames(order.siteId);
  return (
    <Table
      rowKey="lineNo"
      size="small"
      pagination={false}
      dataSource={order.lines}
      data-testid="order-lines"
      style={{ maxWidth: 760 }}
      columns={[
        { title: t('lines.type'), key: 'type', render: (_, line) => typeName(line.typeId) },
        { title: t('lines.quantity'), dataIndex: 'quantity', align: 'right', width: 90 },
        {
          title: t('lines.unitPrice'),
          key: 'unit',
          align: 'right',
          width: 120,
          render: (_, line) => <Money fen={line.unitPriceFen} />,
        },
        {
          title: t('lines.amount'),
          key: 'amount',
          align: 'right',
          width: 130,
          render: (_, line) => <Money fen={line.amountFen} />,
        },
        {
          // The gates' headcount against the persons on the line's codes: a group code counts each person through.
          title: t('lines.redeemed'),
          key: 'redeemed',
          align: 'right',
          width: 110,
          render: (_, line) => (
            <span data-testid="line-redeemed">
              {line.redemption ? `${line.redemption.redeemed} / ${line.redemption.persons}` : '—'}
            </span>
          ),
        },
      ]}
      summary={() => (
        <Table.Summary.Row>
          <Table.Summary.Cell index={0}>
            <Typography.Text strong>{t('lines.sum')}</Typography.Text>
          </Table.Summary.Cell>
          <Table.Summary.Cell index={1} align="right">
            <Typography.Text strong>{order.headcount}</Typography.Text>
          </Table.Summary.Cell>
          <Table.Summary.Cell index={2} />
          <Table.Summary.Cell index={3} align="right">
            <Money fen={order.totalFen} strong />
          </Table.Summary.Cell>
          <Table.Summary.Cell index={4} align="right">
            {order.tickets.length > 0 ? (
              <Typography.Text strong data-testid="order-redeemed">
                {order.personsAdmitted}
              </Typography.Text>
            ) : null}
          </Table.Summary.Cell>
        </Table.Summary.Row>
      )}
    />
  );
}

export function VisitorsTable({ order }: { order: GroupOrder }) {
  const { t } = useTranslation('orders');
  const typeName = useTypeNames(order.siteId);
  return (
    <Table
      rowKey={(visitor) => `${visitor.typeId}|${visitor.name}|${visitor.idMasked}`}
      size="small"
      pagination={false}
      dataSource={order.visitors}
      locale={{ emptyText: t('visitors.empty') }}
      data-testid="order-visitors"
      style={{ maxWidth: 760 }}
      columns={[
        { title: t('visitors.name'), dataIndex: 'name', width: 160 },
        { title: t('visitors.id'), dataIndex: 'idMasked', width: 220 },
        { title: t('visitors.type'), key: 'type', render: (_, v) => typeName(v.typeId) },
      ]}
    />
  );
}

export function MoneyPanel({ order }: { order: GroupOrder }) {
  const { t } = useTranslation('orders');
  const { t: ta } = useTranslation('agencies');
  const zone = useSiteZone(order.siteId);
  const ledger =
    order.paymentMode === 'window'
      ? []
      : order.transitions.flatMap((transition) =>
          ledgerMovements(transition).map((move, i) => ({
            key: `${transition.seq}-${i}`,
            transition,
            ...move,
          })),
        );
  return (
    <>
      {order.agencyId !== null && order.paymentMode !== 'window' ? (
        <>
          <Typography.Title level={5}>{t('money.ledgerTitle')}</Typography.Title>
          <Table
            rowKey="key"
            size="small"
            pagination={false}
            dataSource={ledger}
            locale={{ emptyText: t('money.ledgerEmpty') }}
            data-testid="order-ledger"
            style={{ maxWidth: 760, marginBottom: 24 }}
            columns={[
              {
                title: t('money.at'),
                key: 'at',
                width: 180,
                render: (_, row) => formatDateTime(row.transition.at, zone),
              },
              {
                title: t('money.action'),
                key: 'action',
                width: 120,
                render: (_, row) => t(`action.${row.transition.action}`),
              },
              {
                title: t('money.kind'),
                key: 'kind',
                render: (_, row) => <Tag>{ta(`kind.${row.kind}`)}</Tag>,
              },
              {
                title: t('money.effect'),
                key: 'fen',
                align: 'right',
                width: 150,
                render: (_, row) => (
                  <Typography.Text type={row.fen < 0 ? 'danger' : 'success'} style={{ whiteSpace: 'nowrap' }}>
                    {row.fen > 0 ? '+' : ''}
                    {formatFen(row.fen)}
                  </Typography.Text>
                ),
              },
            ]}
          />
        </>
      ) : null}
      <Typography.Title level={5}>{t('money.windowTitle')}</Typography.Title>
      <Table
        rowKey={(payment) => `${payment.kind}|${payment.method}|${payment.at}|${payment.amountFen}`}
        size="small"
        pagination={false}
        dataSource={order.payments}
        locale={{ emptyText: t('money.empty') }}
        data-testid="order-payments"
        style={{ maxWidth: 760 }}
        columns={[
          { title: t('money.at'), key: 'at', width: 180, render: (_, p) => formatDateTime(p.at, zone) },
          {
            title: t('money.kind'),
            key: 'kind',
            width: 100,
            render: (_, p) => (
              <Tag color={p.kind === 'payment' ? 'green' : 'orange'}>{t(`money.${p.kind}`)}</Tag>
            ),
          },
          { title: t('money.method'), key: 'method', render: (_, p) => t(`methods.${p.method}`) },
          {
            title: t('money.amount'),
            key: 'amount',
            align: 'right',
            width: 150,
            render: (_, p) => <Money fen={p.amountFen} />,
          },
        ]}
      />
      {order.changeFen > 0 ? (
        <Typography.Paragraph style={{ marginTop: 8 }}>
          {t('field.change')} {formatFen(order.changeFen)}
        </Typography.Paragraph>
      ) : null}
    </>
  );
}

export function TicketsTable({ order }: { order: GroupOrder }) {
  const { t } = useTranslation('orders');
  return (
    <Table<Ticket>
      rowKey="ticketId"
      size="small"
      pagination={false}
      dataSource={order.tickets}
      locale={{ emptyText: t('tickets.empty') }}
      data-testid="order-tickets"
      style={{ maxWidth: 900 }}
      columns={[
        { title: t('tickets.serial'), dataIndex: 'ticketId', width: 110 },
        { title: t('tickets.type'), key: 'type', render: (_, ticket) => nameOf(ticket.typeName) },
        { title: t('tickets.persons'), dataIndex: 'persons', align: 'right', width: 90 },
        {
          title: t('tickets.used'),
          key: 'used',
          align: 'right',
          width: 90,
          render: (_, ticket) =>
            `${ticket.entriesUsed}${ticket.entriesTotal === null ? '' : ` / ${ticket.entriesTotal}`}`,
        },
        {
          title: t('tickets.status'),
          key: 'status',
          width: 110,
          render: (_, ticket) => <StatusTag status={ticket.status} />,
        },
        {
          title: t('visitors.name'),
          key: 'holder',
          width: 220,
          render: (_, ticket) => (ticket.holder ? `${ticket.holder.name} ${ticket.holder.idMasked}` : '—'),
        },
      ]}
    />
  );
}

/** What a transition did, in words, from its details (the API's stable keys per action). */
export function describeTransition(
  transition: Transition,
  t: TFunction<'orders'>,
  slotLabel: (slotId: string | null) => string,
): string {
  const d = transition.details as Record<string, unknown>;
  const fen = (key: string) => formatFen(typeof d[key] === 'number' ? (d[key] as number) : 0);
  const state = (part: unknown) => {
    const p = (part ?? {}) as {
      visitDate?: string;
      slotId?: string | null;
      headcount?: number;
      totalFen?: number;
    };
    return t('effect.summary', {
      date: p.visitDate ?? '',
      slot: slotLabel(p.slotId ?? null),
      headcount: p.headcount ?? 0,
      total: formatFen(p.totalFen ?? 0),
    });
  };
  const parts: string[] = [];
  switch (transition.action) {
    case 'create':
      parts.push(t('effect.created', { headcount: d.headcount as number, total: fen('totalFen') }));
      break;
    case 'confirm':
      parts.push(
        (d.paidFen as number) > 0 ? t('effect.debited', { amount: fen('paidFen') }) : t('effect.payAtWindow'),
      );
      break;
    case 'modify': {
      parts.push(t('effect.modified', { before: state(d.before), after: state(d.after) }));
      const ledger = typeof d.ledgerFen === 'number' ? d.ledgerFen : 0;
      if (ledger > 0) parts.push(t('effect.ledgerDebit', { amount: formatFen(ledger) }));
      if (ledger < 0) parts.push(t('effect.ledgerCredit', { amount: formatFen(-ledger) }));
      break;
    }
    case 'visitors':
      parts.push(t('effect.visitors', { count: d.visitors as number }));
      break;
    case 'pick_up': {
      const issue = d.issue === 'individual' ? 'individual' : 'group';
      parts.push(
        t('effect.pickedUp', {
          issue: t(`issue.${issue}`),
          count: Array.isArray(d.ticketIds) ? d.ticketIds.length : 0,
        }),
      );
      const payments = Array.isArray(d.payments)
        ? (d.payments as { method: string; amountFen: number }[])
        : [];
      if (payments.length > 0)
        parts.push(
          t('effect.paidAtWindow', {
            payments: payments
              .map((p) => `${t(`methods.${p.method as 'cash'}`)} ${formatFen(p.amountFen)}`)
              .join(' · '),
          }),
        );
      if ((d.changeFen as number) > 0) parts.push(t('effect.changeGiven', { amount: fen('changeFen') }));
      break;
    }
    case 'cancel':
      parts.push(t('effect.cancelled', { fee: fen('feeFen'), credited: fen('creditedFen') }));
      if (typeof d.reason === 'string') parts.push(t('effect.reason', { reason: d.reason }));
      break;
    case 'expire':
      parts.push(t('effect.expired'));
      break;
    case 'close':
      parts.push(
        t('effect.closed', {
          used: d.usedPersons as number,
          unused: d.unusedPersons as number,
          refund: fen('refundFen'),
        }),
      );
      break;
  }
  return parts.join(' · ');
}

export function HistoryTable({ order }: { order: GroupOrder }) {
  const { t } = useTranslation('orders');
  const zone = useSiteZone(order.siteId);
  const slotLabel = useSlotLabel(order.siteId, order.visitDate);
  return (
    <Table<Transition>
      rowKey="seq"
      size="small"
      pagination={false}
      dataSource={order.transitions}
      data-testid="order-history"
      scroll={{ x: 900 }}
      columns={[
        { title: t('history.at'), key: 'at', width: 180, render: (_, tr) => formatDateTime(tr.at, zone) },
        {
          title: t('history.action'),
          key: 'action',
          width: 130,
          render: (_, tr) => t(`action.${tr.action}`),
        },
        {
          title: t('history.change'),
          key: 'change',
          width: 200,
          render: (_, tr) => (
            <span style={{ whiteSpace: 'nowrap' }}>
              {tr.from ? (
                <>
                  <StateTag state={tr.from} /> →{' '}
                </>
              ) : null}
              <StateTag state={tr.to} />
            </span>
          ),
        },
        { title: t('history.actor'), key: 'actor', width: 130, render: (_, tr) => tr.actor.username },
        {
          title: t('history.details'),
          key: 'details',
          render: (_, tr) => describeTransition(tr, t, slotLabel),
        },
      ]}
    />
  );
}
