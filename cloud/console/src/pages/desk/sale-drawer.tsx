/**
 * One sale (销售单) in a drawer: its lines, tickets, payments and change, its refunds, the printouts (tickets as PDF
 * stubs or A4, the receipt, ESC/POS bytes for the thermal printer), and from here 退票 and 补票.
 */
import {
  DownloadOutlined,
  PrinterOutlined,
  RollbackOutlined,
  SearchOutlined,
  SwapOutlined,
} from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Button, Descriptions, Drawer, Dropdown, Space, Table, Tooltip, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { api } from '../../api/client';
import type { Refund, Sale, Ticket } from '../../api/types';
import { allows } from '../../auth/access';
import { useMe } from '../../auth/session';
import { EmptyState, QueryView } from '../../components/feedback';
import { formatFen } from '../../format/money';
import { formatDateTime } from '../../format/time';
import { useDownload } from './download';
import { Money, nameOf, StatusTag, usePaymentsText } from './labels';
import { useRecordColumns } from './record-columns';
import { RefundDialog } from './refund-dialog';
import { useSiteLabel, useSiteZone } from './sites';
import { kindsFor, SupplementDialog } from './supplement-dialog';

/** The lookup deep link of a ticket: its QR text, else its stub's barcode. */
export function lookupLink(ticket: Ticket): string | null {
  const code = ticket.qrText ?? ticket.barcode;
  return code ? `/lookup?code=${encodeURIComponent(code)}` : null;
}

export function SaleDrawer({ saleId, onClose }: { saleId: string | null; onClose: () => void }) {
  const { t } = useTranslation('desk');
  const sale = useQuery({
    queryKey: ['sales', 'one', saleId],
    queryFn: () => api.get<Sale>(`/sales/${saleId}`),
    enabled: saleId !== null,
  });
  return (
    <Drawer
      open={saleId !== null}
      onClose={onClose}
      size={880}
      title={t('sale.title')}
      destroyOnHidden
      data-testid="sale-drawer"
    >
      {saleId ? <QueryView query={sale}>{(data) => <SaleDetail sale={data} />}</QueryView> : null}
    </Drawer>
  );
}

function SaleDetail({ sale }: { sale: Sale }) {
  const { t } = useTranslation('desk');
  const me = useMe().data ?? undefined;
  const zone = useSiteZone(sale.siteId);
  const siteLabel = useSiteLabel();
  const paymentsText = usePaymentsText();
  const columns = useRecordColumns();
  const { download, busy } = useDownload();
  const navigate = useNavigate();
  const [refunding, setRefunding] = useState<readonly number[] | null>(null);
  const [supplementing, setSupplementing] = useState<Ticket | null>(null);
  const now = Date.now();
  const canSell = allows(me, 'sales.sell');
  const canRefund = allows(me, 'refunds.request');
  const canSupplement = allows(me, 'supplements.sell');
  const refunds = useQuery({
    queryKey: ['refunds', 'list', { saleId: sale.id }],
    queryFn: () => api.get<Refund[]>('/refunds', { saleId: sale.id, limit: 50 }),
  });

  const base = `/sales/${sale.id}`;
  const printItems = [
    {
      key: 'stub',
      label: t('sale.print.stub'),
      path: `${base}/tickets.pdf`,
      query: { page: 'stub' },
      file: 'tickets.pdf',
    },
    {
      key: 'a4',
      label: t('sale.print.a4'),
      path: `${base}/tickets.pdf`,
      query: { page: 'a4' },
      file: 'tickets-a4.pdf',
    },
    {
      key: 'receipt',
      label: t('sale.print.receipt'),
      path: `${base}/receipt.pdf`,
      query: {},
      file: 'receipt.pdf',
    },
    {
      key: 'escpos-tickets',
      label: t('sale.print.escposTickets'),
      path: `${base}/escpos`,
      query: { what: 'tickets' },
      file: 'tickets.escpos.bin',
    },
    {
      key: 'escpos-receipt',
      label: t('sale.print.escposReceipt'),
      path: `${base}/escpos`,
      query: { what: 'receipt' },
      file: 'receipt.escpos.bin',
    },
  ];
  const refundableCount = sale.tickets.filter(
    (ticket) => ticket.status === 'active' && ticket.validTo > now,
  ).length;

  return (
    <Space orientation="vertical" size="large" style={{ width: '100%' }}>
      <Space wrap>
        <Dropdown
          menu={{
            items: printItems.map((item) => ({ key: item.key, label: item.label })),
            onClick: ({ key }) => {
              const item = printItems.find((i) => i.key === key)!;
              void download(item.path, `${sale.id.slice(0, 8)}-${item.file}`, item.query);
            },
          }}
        >
          <Button icon={<PrinterOutlined />} loading={busy !== null} data-testid="sale-print">
            {t('sale.print.label')}
          </Button>
        </Dropdown>
        {canRefund ? (
          <Button
            danger
            icon={<RollbackOutlined />}
            disabled={refundableCount === 0}
            onClick={() => setRefunding([])}
            data-testid="sale-refund"
          >
            {t('sale.refund')}
          </Button>
        ) : null}
      </Space>
      <Descriptions
        size="small"
        bordered
        column={3}
        items={[
          {
            key: 'id',
            label: t('sale.id'),
            span: 3,
            children: <Typography.Text copyable>{sale.id}</Typography.Text>,
          },
          { key: 'at', label: t('sale.at'), children: formatDateTime(sale.createdAt, zone) },
          {
            key: 'site',
            label: t('sale.siteWindow'),
            children: `${siteLabel(sale.siteId)} / ${sale.windowId ?? '—'}`,
          },
          { key: 'cashier', label: t('sale.cashier'), children: sale.cashier.username },
          { key: 'total', label: t('sale.total'), children: <Money fen={sale.totalFen} strong /> },
          { key: 'paid', label: t('sale.paid'), children: formatFen(sale.paidFen) },
          { key: 'change', label: t('sale.change'), children: formatFen(sale.changeFen) },
          { key: 'payments', label: t('sale.payments'), span: 2, children: paymentsText(sale.payments) },
          {
            key: 'count',
            label: t('sale.count'),
            children: t('sale.countValue', { tickets: sale.ticketCount, persons: sale.persons }),
          },
        ]}
      />
      <section aria-label={t('sale.lines')}>
        <Typography.Title level={5}>{t('sale.lines')}</Typography.Title>
        <Table
          size="small"
          rowKey="lineNo"
          pagination={false}
          dataSource={sale.lines}
          columns={[
            { title: '#', dataIndex: 'lineNo', width: 48 },
            { title: t('ticket.type'), render: (_, line) => nameOf(line.typeName) },
            { title: t('ticket.visitDate'), dataIndex: 'visitDate', width: 110 },
            {
              title: t('ticket.slot'),
              width: 130,
              render: (_, line) =>
                line.slot
                  ? `${formatDateTime(line.slot.start, zone).slice(11, 16)}–${formatDateTime(line.slot.end, zone).slice(11, 16)}`
                  : '—',
            },
            { title: t('sale.quantity'), dataIndex: 'quantity', width: 70, align: 'right' },
            { title: t('ticket.persons'), dataIndex: 'persons', width: 70, align: 'right' },
            {
              title: t('sale.amount'),
              width: 110,
              align: 'right',
              render: (_, line) => <Money fen={line.amountFen} />,
            },
          ]}
        />
      </section>
      <section aria-label={t('sale.tickets')}>
        <Typography.Title level={5}>{t('sale.tickets')}</Typography.Title>
        <Table<Ticket>
          size="small"
          rowKey="ticketId"
          pagination={false}
          dataSource={sale.tickets}
          data-testid="sale-tickets"
          columns={[
            { title: t('ticket.id'), dataIndex: 'ticketId', width: 140 },
            { title: t('ticket.type'), render: (_, ticket) => nameOf(ticket.typeName) },
            { title: t('ticket.visitDate'), dataIndex: 'visitDate', width: 104 },
            {
              title: t('ticket.status'),
              width: 84,
              render: (_, ticket) => <StatusTag status={ticket.status} />,
            },
            {
              title: t('ticket.entries'),
              width: 70,
              render: (_, ticket) => `${ticket.entriesUsed}/${ticket.entriesTotal ?? '∞'}`,
            },
            {
              title: t('ticket.price'),
              width: 90,
              align: 'right',
              render: (_, ticket) => <Money fen={ticket.priceFen} />,
            },
            {
              title: t('common.actions'),
              width: 150,
              render: (_, ticket) => {
                const link = lookupLink(ticket);
                const kinds = kindsFor(ticket, now);
                return (
                  <Space size={0}>
                    {link ? (
                      <Tooltip title={t('sale.lookupTicket')}>
                        <Button
                          type="link"
                          size="small"
                          icon={<SearchOutlined />}
                          aria-label={t('sale.lookupTicketOf', { id: ticket.ticketId })}
                          onClick={() => navigate(link)}
                        />
                      </Tooltip>
                    ) : null}
                    {canSell ? (
                      <Tooltip title={t('sale.reprint')}>
                        <Button
                          type="link"
                          size="small"
                          icon={<DownloadOutlined />}
                          aria-label={t('sale.reprintOf', { id: ticket.ticketId })}
                          onClick={() =>
                            void download(
                              `/tickets/${ticket.ticketId}/ticket.pdf`,
                              `ticket-${ticket.ticketId}.pdf`,
                            )
                          }
                        />
                      </Tooltip>
                    ) : null}
                    {canRefund && ticket.status === 'active' && ticket.validTo > now ? (
                      <Tooltip title={t('sale.refund')}>
                        <Button
                          type="link"
                          size="small"
                          danger
                          icon={<RollbackOutlined />}
                          aria-label={t('sale.refundOf', { id: ticket.ticketId })}
                          onClick={() => setRefunding([ticket.ticketId])}
                        />
                      </Tooltip>
                    ) : null}
                    {canSupplement && (kinds.upgrade || kinds.fee || kinds.reissue) ? (
                      <Tooltip title={t('sale.supplement')}>
                        <Button
                          type="link"
                          size="small"
                          icon={<SwapOutlined />}
                          aria-label={t('sale.supplementOf', { id: ticket.ticketId })}
                          onClick={() => setSupplementing(ticket)}
                        />
                      </Tooltip>
                    ) : null}
                  </Space>
                );
              },
            },
          ]}
        />
      </section>
      <section aria-label={t('sale.refunds')}>
        <Typography.Title level={5}>{t('sale.refunds')}</Typography.Title>
        <QueryView query={refunds}>
          {(items) =>
            items.length === 0 ? (
              <EmptyState>{t('sale.noRefunds')}</EmptyState>
            ) : (
              <Table<Refund>
                size="small"
                rowKey="id"
                pagination={false}
                dataSource={items}
                columns={[
                  { title: t('refunds.at'), width: 160, render: (_, r) => formatDateTime(r.createdAt, zone) },
                  {
                    title: t('refunds.tickets'),
                    render: (_, r) => r.tickets.map((x) => x.ticketId).join(', '),
                  },
                  ...columns.refundMoney,
                  ...columns.staff<Refund>('refunds'),
                ]}
              />
            )
          }
        </QueryView>
      </section>
      {refunding !== null ? (
        <RefundDialog saleId={sale.id} open initialTicketIds={refunding} onClose={() => setRefunding(null)} />
      ) : null}
      {supplementing ? (
        <SupplementDialog ticket={supplementing} open onClose={() => setSupplementing(null)} />
      ) : null}
    </Space>
  );
}
