/**
 * 我的票库: the pre-printed codes issued to the signed-in cashier and not yet sold (GET /stock/balances/mine), per
 * ticket type, to count against at the end of a shift. Any cashier may open it; it never shows anyone else's stock.
 */
import { useQuery } from '@tanstack/react-query';
import { Card, Col, Row, Space, Statistic, Table, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { api } from '../../../api/client';
import type { StockMyBalance } from '../../../api/types';
import { EmptyState, QueryView } from '../../../components/feedback';
import { useTypeNames } from '../shared';
import { stockKey } from '../stock/context';

export default function MyStockPage() {
  const { t } = useTranslation('catalog');
  const typeName = useTypeNames();
  const query = useQuery({
    queryKey: stockKey.mine,
    queryFn: () => api.get<StockMyBalance>('/stock/balances/mine'),
  });
  return (
    <>
      <Typography.Title level={3} style={{ marginTop: 0 }}>
        {t('myStock.title')}
      </Typography.Title>
      <Typography.Paragraph type="secondary">{t('myStock.intro')}</Typography.Paragraph>
      <QueryView query={query}>
        {(mine) =>
          mine.types.length === 0 ? (
            <EmptyState>{t('myStock.empty')}</EmptyState>
          ) : (
            <Space orientation="vertical" size="middle" style={{ width: '100%' }} data-testid="my-stock">
              <Row gutter={16}>
                {mine.types.map((entry) => (
                  <Col key={entry.ticketTypeId} xs={24} md={12} xl={8}>
                    <Card size="small">
                      <Statistic title={typeName(entry.ticketTypeId)} value={entry.issued} />
                    </Card>
                  </Col>
                ))}
              </Row>
              {mine.types.map((entry) => (
                <Card
                  key={entry.ticketTypeId}
                  size="small"
                  title={`${typeName(entry.ticketTypeId)} · ${t('myStock.total', { count: entry.issued })}`}
                >
                  <Table
                    size="small"
                    rowKey="code"
                    dataSource={entry.codes.map((code, index) => ({ code, index: index + 1 }))}
                    pagination={{ pageSize: 50, hideOnSinglePage: true, showSizeChanger: false }}
                    columns={[
                      { title: '#', dataIndex: 'index', width: 70 },
                      {
                        title: t('myStock.codes'),
                        dataIndex: 'code',
                        render: (code: string) => (
                          <Typography.Text code copyable>
                            {code}
                          </Typography.Text>
                        ),
                      },
                    ]}
                  />
                </Card>
              ))}
            </Space>
          )
        }
      </QueryView>
    </>
  );
}
