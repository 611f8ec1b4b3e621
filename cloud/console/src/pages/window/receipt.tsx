/**
 * The receipt of a completed sale (GET /api/v1/sales/{id}, first filled from the sale's own answer): the change to
 * hand back, lines, tickets with their numbers (and IC cards), payments; the customer with the points the sale
 * earned and paid and the balance after it (the sale's entries in the customer's points ledger); printing of tickets and receipt as PDF (a new tab, where
 * the browser prints) or as ESC/POS bytes for a thermal printer; and the next customer.
 */
import { DownloadOutlined, PrinterOutlined, UserAddOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Button, Card, Col, Row, Space, Statistic, Table, Tag, Typography } from 'antd';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import type { Customer, Sale } from '../../api/types';
import { ErrorAlert } from '../../components/feedback';
import { formatFen } from '../../format/money';
import { formatDateTime, formatTime } from '../../format/time';
import { nameIn } from './names';
import { pointsAccountQuery } from './points-queries';
import { printUrls } from './print-urls';

/** HH:MM in the zone; a slot that ends at midnight ends at 24:00, not 00:00. */
function clock(epochMs: number, zone: string, end = false): string {
  const text = formatTime(epochMs, zone).slice(0, 5);
  return end && text === '00:00' ? '24:00' : text;
}

/** The customer of the sale, the points it earned and paid, and the balance after it. */
function CustomerPoints({ customer, saleId }: { customer: Customer; saleId: string }) {
  const { t } = useTranslation('window');
  const account = useQuery(pointsAccountQuery(customer.id));
  const entries = account.data?.entries.filter((entry) => entry.saleId === saleId) ?? [];
  const earned = entries.filter((e) => e.kind === 'accrual').reduce((sum, e) => sum + e.points, 0);
  const redeemed = -entries.filter((e) => e.kind === 'redemption').reduce((sum, e) => sum + e.points, 0);
  return (
    <Card size="small" title={t('receipt.customer')} data-testid="receipt-customer">
      <Space orientation="vertical" size={2}>
        <Typography.Text strong>
          {customer.name} {customer.phone ?? ''}
        </Typography.Text>
        {account.data ? (
          <>
            {redeemed > 0 ? (
              <Typography.Text data-testid="receipt-points-redeemed">
                {t('receipt.pointsRedeemed', { points: redeemed.toLocaleString() })}
              </Typography.Text>
            ) : null}
            <Typography.Text data-testid="receipt-points-earned">
              {t('receipt.pointsEarned', { points: earned.toLocaleString() })}
            </Typography.Text>
            <Typography.Text strong data-testid="receipt-points-balance">
              {t('receipt.pointsBalance', { points: account.data.balance.toLocaleString() })}
            </Typography.Text>
          </>
        ) : (
          <ErrorAlert error={account.error} />
        )}
      </Space>
    </Card>
  );
}

export function Receipt({
  sale: answered,
  customer,
  zone,
  onNext,
  onPrint,
  aside,
}: {
  sale: Sale;
  /** The customer attached to the sale, when one was. */
  customer: Customer | null;
  zone: string;
  onNext: () => void;
  onPrint: (what: 'tickets' | 'receipt') => void;
  /** Shown under the actions (the shortcut legend). */
  aside?: ReactNode;
}) {
  const { t } = useTranslation('window');
  const query = useQuery({
    queryKey: ['sales', 'one', answered.id],
    queryFn: () => api.get<Sale>(`/sales/${encodeURIComponent(answered.id)}`),
    initialData: answered,
  });
  const sale = query.data;
  const urls = printUrls(sale.id);
  const slotText = (slot: { start: number; end: number } | null) =>
    slot ? `${clock(slot.start, zone)}–${clock(slot.end, zone, true)}` : '';

  return (
    <div data-testid="receipt">
      <ErrorAlert error={query.error} />
      <Row gutter={16} align="stretch">
        <Col span={16}>
          <Card
            title={t('receipt.title')}
            extra={
              <Typography.Text type="secondary" data-testid="receipt-id">
                {t('receipt.number', { id: sale.id.slice(0, 8).toUpperCase() })} ·{' '}
                {formatDateTime(sale.createdAt, zone)} · {sale.cashier.username}
              </Typography.Text>
            }
          >
            <Table
              size="small"
              pagination={false}
              rowKey="lineNo"
              dataSource={sale.lines}
              columns={[
                { title: t('receipt.type'), render: (_, line) => nameIn(line.typeName) },
                {
                  title: t('receipt.visit'),
                  render: (_, line) => `${line.visitDate} ${slotText(line.slot)}`.trim(),
                },
                { title: t('receipt.quantity'), dataIndex: 'quantity', align: 'right' },
                {
                  title: t('receipt.amount'),
                  align: 'right',
                  render: (_, line) => formatFen(line.amountFen),
                },
              ]}
            />
            <Typography.Title level={5} style={{ marginTop: 16 }}>
              {t('receipt.tickets', { count: sale.tickets.length })}
            </Typography.Title>
            <Table
              size="small"
              pagination={false}
              rowKey="ticketId"
              dataSource={sale.tickets}
              data-testid="receipt-tickets"
              columns={[
                {
                  title: t('receipt.ticketId'),
                  render: (_, ticket) => (
                    <Typography.Text copyable code>
                      {String(ticket.ticketId)}
                    </Typography.Text>
                  ),
                },
                { title: t('receipt.type'), render: (_, ticket) => nameIn(ticket.typeName) },
                {
                  title: t('receipt.holder'),
                  render: (_, ticket) =>
                    ticket.holder ? `${ticket.holder.name} ${ticket.holder.idMasked}` : '—',
                },
                {
                  title: t('receipt.stub'),
                  render: (_, ticket) => ticket.barcode ?? '—',
                },
                ...(sale.tickets.some((ticket) => ticket.cardUid)
                  ? [
                      {
                        title: t('receipt.card'),
                        render: (_: unknown, ticket: Sale['tickets'][number]) => ticket.cardUid ?? '—',
                      },
                    ]
                  : []),
                {
                  title: t('receipt.price'),
                  align: 'right',
                  render: (_, ticket) => formatFen(ticket.priceFen),
                },
              ]}
            />
          </Card>
        </Col>
        <Col span={8}>
          <Space orientation="vertical" style={{ width: '100%' }}>
            <Card>
              <Statistic
                title={t('receipt.change')}
                value={formatFen(sale.changeFen)}
                styles={{ content: { fontSize: 40, color: '#0f766e', fontWeight: 700 } }}
                data-testid="receipt-change"
              />
              <Space orientation="vertical" style={{ width: '100%', marginTop: 12 }} size={2}>
                <Typography.Text>
                  {t('receipt.total')} <strong data-testid="receipt-total">{formatFen(sale.totalFen)}</strong>
                </Typography.Text>
                {sale.payments.map((payment) => (
                  <Typography.Text key={payment.method} data-testid={`receipt-pay-${payment.method}`}>
                    <Tag>{t(`methods.${payment.method}`)}</Tag>
                    {formatFen(payment.amountFen)}
                  </Typography.Text>
                ))}
                <Typography.Text>
                  {t('receipt.paid')} {formatFen(sale.paidFen)}
                </Typography.Text>
              </Space>
            </Card>
            {customer ? <CustomerPoints customer={customer} saleId={sale.id} /> : null}
            <Card size="small" title={t('receipt.print')}>
              <Space orientation="vertical" style={{ width: '100%' }}>
                <Button
                  type="primary"
                  block
                  icon={<PrinterOutlined />}
                  href={urls.tickets}
                  target="_blank"
                  rel="noopener"
                  onClick={(event) => {
                    event.preventDefault();
                    onPrint('tickets');
                  }}
                  data-testid="print-tickets"
                >
                  {t('receipt.printTickets')} <Typography.Text keyboard>P</Typography.Text>
                </Button>
                <Button
                  block
                  icon={<PrinterOutlined />}
                  href={urls.receipt}
                  target="_blank"
                  rel="noopener"
                  onClick={(event) => {
                    event.preventDefault();
                    onPrint('receipt');
                  }}
                  data-testid="print-receipt"
                >
                  {t('receipt.printReceipt')} <Typography.Text keyboard>R</Typography.Text>
                </Button>
                <Space wrap size={4}>
                  <Button
                    size="small"
                    icon={<PrinterOutlined />}
                    href={urls.ticketsA4}
                    target="_blank"
                    rel="noopener"
                  >
                    {t('receipt.a4')}
                  </Button>
                  <Button
                    size="small"
                    icon={<DownloadOutlined />}
                    href={urls.escposTickets}
                    download={`tickets-${sale.id}.bin`}
                  >
                    {t('receipt.escposTickets')}
                  </Button>
                  <Button
                    size="small"
                    icon={<DownloadOutlined />}
                    href={urls.escposReceipt}
                    download={`receipt-${sale.id}.bin`}
                  >
                    {t('receipt.escposReceipt')}
                  </Button>
                </Space>
              </Space>
            </Card>
            <Button
              size="large"
              block
              icon={<UserAddOutlined />}
              onClick={onNext}
              data-testid="next-customer"
            >
              {t('receipt.next')} <Typography.Text keyboard>N</Typography.Text>
            </Button>
            {aside}
          </Space>
        </Col>
      </Row>
    </div>
  );
}
