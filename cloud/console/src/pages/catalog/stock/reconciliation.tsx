/**
 * 对账: warehouse + issued + sold + voided = imported, as the API counts it from the codes' states and replays it from
 * the ledger (GET /stock/reconciliation): one clear verdict, the equation in figures, and every batch.
 */
import { useQuery } from '@tanstack/react-query';
import { Card, Result, Space, Table, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { api } from '../../../api/client';
import type { StockBatchReconciliation, StockReconciliation } from '../../../api/types';
import { QueryView } from '../../../components/feedback';
import { type StockContext, stockKey } from './context';

type Counts = StockReconciliation['total']['states'];

function Equation({ counts, total, testId }: { counts: Counts; total: number; testId: string }) {
  const { t } = useTranslation('catalog');
  const term = (label: string, value: number) => (
    <Space orientation="vertical" size={0} style={{ alignItems: 'center', minWidth: 72 }}>
      <Typography.Text style={{ fontSize: 24, fontWeight: 600 }}>{value}</Typography.Text>
      <Typography.Text type="secondary">{label}</Typography.Text>
    </Space>
  );
  const sign = (text: string) => (
    <Typography.Text style={{ fontSize: 22, color: '#6b7280' }}>{text}</Typography.Text>
  );
  return (
    <Space size="middle" wrap data-testid={testId} align="start">
      {term(t('stock.states.in_warehouse'), counts.inWarehouse)}
      {sign('+')}
      {term(t('stock.states.issued'), counts.issued)}
      {sign('+')}
      {term(t('stock.states.sold'), counts.sold)}
      {sign('+')}
      {term(t('stock.states.voided'), counts.voided)}
      {sign('=')}
      {term(t('stock.reconciliation.imported'), total)}
    </Space>
  );
}

export function Reconciliation({ context }: { context: StockContext }) {
  const { t } = useTranslation('catalog');
  const query = useQuery({
    queryKey: stockKey.reconciliation(context.siteId),
    queryFn: () =>
      api.get<StockReconciliation>(
        '/stock/reconciliation',
        context.siteId ? { siteId: context.siteId } : undefined,
      ),
  });
  return (
    <QueryView query={query}>
      {(report) => {
        const { total } = report;
        const sum = (c: Counts) => c.inWarehouse + c.issued + c.sold + c.voided;
        return (
          <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
            <Result
              status={total.balanced ? 'success' : 'error'}
              title={
                <span data-testid="reconciliation-verdict">
                  {total.balanced ? t('stock.reconciliation.ok') : t('stock.reconciliation.mismatch')}
                </span>
              }
              subTitle={
                <>
                  <div>{t('stock.reconciliation.equation')}</div>
                  <div>
                    {total.balanced
                      ? t('stock.reconciliation.okDetail')
                      : t('stock.reconciliation.mismatchDetail')}
                  </div>
                </>
              }
              style={{ padding: '16px 0' }}
            />
            <Card size="small" title={t('stock.reconciliation.byStates')}>
              <Equation counts={total.states} total={total.count} testId="equation-states" />
              {sum(total.states) !== total.count ? (
                <Tag color="red">
                  {sum(total.states)} ≠ {total.count}
                </Tag>
              ) : null}
            </Card>
            <Card size="small" title={t('stock.reconciliation.byLedger')}>
              <Equation counts={total.ledger} total={total.ledger.imported} testId="equation-ledger" />
            </Card>
            <Card size="small" title={t('stock.reconciliation.perBatch')}>
              <Table<StockBatchReconciliation>
                size="small"
                rowKey="batchId"
                dataSource={report.batches}
                pagination={{ pageSize: 20, hideOnSinglePage: true, showSizeChanger: false }}
                columns={[
                  { title: t('stock.batchId'), dataIndex: 'batchId', render: (id: number) => `#${id}` },
                  {
                    title: t('stock.ticketType'),
                    key: 'type',
                    render: (_, b) => context.typeName(b.ticketTypeId),
                  },
                  {
                    title: t('stock.states.in_warehouse'),
                    key: 'w',
                    align: 'right',
                    render: (_, b) => b.states.inWarehouse,
                  },
                  {
                    title: t('stock.states.issued'),
                    key: 'i',
                    align: 'right',
                    render: (_, b) => b.states.issued,
                  },
                  {
                    title: t('stock.states.sold'),
                    key: 's',
                    align: 'right',
                    render: (_, b) => b.states.sold,
                  },
                  {
                    title: t('stock.states.voided'),
                    key: 'v',
                    align: 'right',
                    render: (_, b) => b.states.voided,
                  },
                  { title: t('stock.reconciliation.imported'), dataIndex: 'count', align: 'right' },
                  {
                    title: '',
                    key: 'balanced',
                    render: (_, b) =>
                      b.balanced ? (
                        <Tag color="green">{t('stock.reconciliation.balanced')}</Tag>
                      ) : (
                        <Tag color="red">{t('stock.reconciliation.unbalanced')}</Tag>
                      ),
                  },
                ]}
              />
            </Card>
          </Space>
        );
      }}
    </QueryView>
  );
}
