/** 结存: codes in the warehouse per site and type, and codes in each cashier's hands per type. */
import { useQuery } from '@tanstack/react-query';
import { Card, Col, Row, Table } from 'antd';
import { useTranslation } from 'react-i18next';
import { api } from '../../../api/client';
import type { StockCashierBalance, StockWarehouseBalance } from '../../../api/types';
import { QueryView } from '../../../components/feedback';
import { type StockContext, stockKey } from './context';

export function Balances({ context }: { context: StockContext }) {
  const { t } = useTranslation('catalog');
  const query = context.siteId ? { siteId: context.siteId } : undefined;
  const warehouse = useQuery({
    queryKey: stockKey.warehouse(context.siteId),
    queryFn: () => api.get<StockWarehouseBalance[]>('/stock/balances/warehouse', query),
  });
  const cashiers = useQuery({
    queryKey: stockKey.cashiers(context.siteId),
    queryFn: () => api.get<StockCashierBalance[]>('/stock/balances/cashiers', query),
  });
  return (
    <Row gutter={16}>
      <Col xs={24} xl={12}>
        <Card title={t('stock.balances.warehouse')} size="small">
          <QueryView query={warehouse}>
            {(rows) => (
              <Table<StockWarehouseBalance>
                size="small"
                pagination={false}
                rowKey={(row) => `${row.siteId}-${row.ticketTypeId}`}
                dataSource={rows}
                data-testid="warehouse-balances"
                columns={[
                  { title: t('site.label'), dataIndex: 'siteId' },
                  {
                    title: t('stock.ticketType'),
                    key: 'type',
                    render: (_, row) => context.typeName(row.ticketTypeId),
                  },
                  { title: t('stock.balances.inWarehouse'), dataIndex: 'inWarehouse', align: 'right' },
                ]}
              />
            )}
          </QueryView>
        </Card>
      </Col>
      <Col xs={24} xl={12}>
        <Card title={t('stock.balances.cashiers')} size="small">
          <QueryView query={cashiers}>
            {(rows) => (
              <Table<StockCashierBalance>
                size="small"
                pagination={false}
                rowKey={(row) => `${row.cashierId}-${row.ticketTypeId}`}
                dataSource={rows}
                data-testid="cashier-balances"
                columns={[
                  { title: t('stock.balances.cashier'), dataIndex: 'cashierUsername' },
                  {
                    title: t('stock.ticketType'),
                    key: 'type',
                    render: (_, row) => context.typeName(row.ticketTypeId),
                  },
                  { title: t('stock.balances.issued'), dataIndex: 'issued', align: 'right' },
                ]}
              />
            )}
          </QueryView>
        </Card>
      </Col>
    </Row>
  );
}
