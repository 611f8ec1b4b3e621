/**
 * A customer's purchases, newest first (GET /customers/:id/history), a sale opening in the desk's drawer; and their
 * latest entries through the gates from the same answer.
 */
import { useQuery } from '@tanstack/react-query';
import { Button, Table, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import type { Customer, CustomerHistory, CustomerVisit, SaleSummary } from '../../api/types';
import { allows } from '../../auth/access';
import { useMe } from '../../auth/session';
import { QueryView } from '../../components/feedback';
import { formatDateTime } from '../../format/time';
import { Money, shortId } from '../desk/labels';
import { SaleDrawer } from '../desk/sale-drawer';
import { useSiteZone } from '../desk/sites';
import { customerKey } from './shared';

/** The history's first page (up to 200 purchases), shared by the summary, purchases and visits. */
export function useHistory(customerId: string) {
  return useQuery({
    queryKey: customerKey.history(customerId),
    queryFn: ({ signal }) =>
      api.get<CustomerHistory>(
        `/customers/${encodeURIComponent(customerId)}/history`,
        { limit: 200 },
        signal,
      ),
  });
}

export function VisitsTable({ customer }: { customer: Customer }) {
  const { t } = useTranslation('customers');
  const history = useHistory(customer.id);
  return (
    <QueryView query={history}>
      {(data) => (
        <>
          {data.visits.length > 0 ? (
            <Typography.Paragraph type="secondary">
              {t('visits.latest', { count: data.visits.length })}
            </Typography.Paragraph>
          ) : null}
          <Table<CustomerVisit>
            rowKey={(visit) => `${visit.ticketId}|${visit.at}|${visit.gateId}`}
            size="small"
            pagination={false}
            dataSource={data.visits}
            locale={{ emptyText: t('visits.empty') }}
            data-testid="customer-visits"
            style={{ maxWidth: 760 }}
            columns={[
              { title: t('visits.at'), dataIndex: 'time', width: 180 },
              { title: t('visits.gate'), dataIndex: 'gateId', width: 140 },
              { title: t('visits.ticket'), dataIndex: 'ticketId', width: 120 },
              { title: t('visits.persons'), dataIndex: 'persons', width: 90, align: 'right' },
            ]}
          />
        </>
      )}
    </QueryView>
  );
}

export function PurchasesTable({ customer }: { customer: Customer }) {
  const { t } = useTranslation('customers');
  const zone = useSiteZone(customer.siteId);
  const canOpen = allows(useMe().data ?? undefined, 'sales.read');
  const [open, setOpen] = useState<string | null>(null);
  const history = useHistory(customer.id);
  return (
    <QueryView query={history}>
      {(data) => (
        <>
          <Table<SaleSummary>
            rowKey="id"
            size="small"
            pagination={false}
            dataSource={data.sales}
            locale={{ emptyText: t('purchases.empty') }}
            data-testid="customer-purchases"
            scroll={{ x: 760 }}
            columns={[
              {
                title: t('purchases.at'),
                key: 'at',
                width: 180,
                render: (_, sale) => formatDateTime(sale.createdAt, zone),
              },
              {
                title: t('purchases.sale'),
                key: 'sale',
                width: 130,
                render: (_, sale) =>
                  canOpen ? (
                    <Button type="link" size="small" style={{ padding: 0 }} onClick={() => setOpen(sale.id)}>
                      {shortId(sale.id)}
                    </Button>
                  ) : (
                    shortId(sale.id)
                  ),
              },
              { title: t('purchases.tickets'), dataIndex: 'ticketCount', width: 90, align: 'right' },
              {
                title: t('purchases.total'),
                key: 'total',
                width: 130,
                align: 'right',
                render: (_, sale) => <Money fen={sale.totalFen} />,
              },
              { title: t('purchases.cashier'), key: 'cashier', render: (_, sale) => sale.cashier.username },
            ]}
          />
          {canOpen ? <SaleDrawer saleId={open} onClose={() => setOpen(null)} /> : null}
        </>
      )}
    </QueryView>
  );
}
