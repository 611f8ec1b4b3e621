/** 票号查询: one code's state, batch, holder and ticket, with its whole ledger (GET /stock/codes/{code}). */
import { useQuery } from '@tanstack/react-query';
import { Button, Descriptions, Form, Input, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../../api/client';
import type { StockBatchCodePage, StockCodeDetail, StockMovement } from '../../../api/types';
import { QueryView } from '../../../components/feedback';
import { formatDateTime } from '../../../format/time';
import { STATE_COLORS } from './batch-drawer';
import { type StockContext, stockKey } from './context';

/** The holder's username, read from the code's row in its batch (the code detail names the holder by id). */
function Holder({ detail }: { detail: StockCodeDetail }) {
  const query = useQuery({
    queryKey: stockKey.batchCodes(detail.batchId, { after: detail.seq - 1, limit: 1 }),
    queryFn: () =>
      api.get<StockBatchCodePage>(`/stock/batches/${detail.batchId}/codes`, {
        after: detail.seq - 1,
        limit: 1,
      }),
  });
  return <>{query.data?.items[0]?.holderUsername ?? detail.holderId}</>;
}

export function CodeLookup({ context }: { context: StockContext }) {
  const { t } = useTranslation('catalog');
  const [code, setCode] = useState('');
  const query = useQuery({
    queryKey: stockKey.code(code),
    queryFn: () => api.get<StockCodeDetail>(`/stock/codes/${encodeURIComponent(code)}`),
    enabled: code !== '',
  });
  const state = (value: StockMovement['toState'] | null) =>
    value === null ? '—' : <Tag color={STATE_COLORS[value]}>{t(`stock.states.${value}`)}</Tag>;
  return (
    <Space orientation="vertical" style={{ width: '100%' }} size="middle">
      <Form layout="inline" onFinish={({ code: typed }: { code?: string }) => setCode((typed ?? '').trim())}>
        <Form.Item name="code" label={t('stock.lookup.code')}>
          <Input
            placeholder={t('stock.lookup.placeholder')}
            style={{ width: 260 }}
            autoComplete="off"
            spellCheck={false}
            data-testid="lookup-code"
          />
        </Form.Item>
        <Button type="primary" htmlType="submit">
          {t('stock.lookup.search')}
        </Button>
      </Form>
      {code ? (
        <QueryView query={query}>
          {(detail) => {
            const zone = context.zoneOf(detail.siteId);
            return (
              <div data-testid="lookup-result">
                <Descriptions
                  size="small"
                  bordered
                  column={3}
                  items={[
                    {
                      key: 'code',
                      label: t('stock.codes'),
                      children: <Typography.Text code>{detail.code}</Typography.Text>,
                    },
                    { key: 'state', label: t('stock.state'), children: state(detail.state) },
                    {
                      key: 'type',
                      label: t('stock.ticketType'),
                      children: context.typeName(detail.ticketTypeId),
                    },
                    {
                      key: 'batch',
                      label: t('stock.batch'),
                      children: `#${detail.batchId} · ${t('stock.seq')} ${detail.seq}`,
                    },
                    {
                      key: 'holder',
                      label: t('stock.holder'),
                      children: detail.holderId === null ? '—' : <Holder detail={detail} />,
                    },
                    { key: 'ticket', label: t('stock.ticket'), children: detail.ticketId ?? '—' },
                  ]}
                />
                <Typography.Title level={5} style={{ marginTop: 16 }}>
                  {t('stock.lookup.ledger')}
                </Typography.Title>
                <Table<StockMovement>
                  size="small"
                  pagination={false}
                  rowKey={(movement, index) => `${movement.at}-${index}`}
                  dataSource={detail.movements}
                  columns={[
                    {
                      title: t('stock.createdAt'),
                      key: 'at',
                      width: 170,
                      render: (_, movement) => formatDateTime(movement.at, zone),
                    },
                    {
                      title: t('stock.move.operation'),
                      key: 'kind',
                      render: (_, movement) => t(`stock.kinds.${movement.kind}`),
                    },
                    {
                      title: t('stock.lookup.from'),
                      key: 'from',
                      render: (_, movement) => state(movement.fromState),
                    },
                    {
                      title: t('stock.lookup.to'),
                      key: 'to',
                      render: (_, movement) => state(movement.toState),
                    },
                    { title: t('stock.lookup.operator'), dataIndex: 'operatorUsername' },
                    {
                      title: t('stock.lookup.reason'),
                      key: 'reason',
                      render: (_, movement) => movement.reason ?? movement.ticketId ?? '',
                    },
                  ]}
                />
              </div>
            );
          }}
        </QueryView>
      ) : null}
    </Space>
  );
}
