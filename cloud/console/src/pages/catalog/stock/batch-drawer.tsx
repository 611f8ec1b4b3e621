/**
 * One batch and its codes, page by page from the server (GET /stock/batches/{id}/codes, keyset by sequence number),
 * with each code's state and holder, filtered by state.
 */
import { useQuery } from '@tanstack/react-query';
import { Button, Descriptions, Drawer, Select, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../../api/client';
import type { StockBatch, StockBatchCode, StockBatchCodePage } from '../../../api/types';
import { QueryView } from '../../../components/feedback';
import { formatDateTime } from '../../../format/time';
import { STOCK_STATES, type StockState } from '../vocabulary';
import { type StockContext, stockKey } from './context';

const PAGE = 50;

export const STATE_COLORS: Record<StockState, string> = {
  in_warehouse: 'default',
  issued: 'blue',
  sold: 'green',
  voided: 'red',
};

export function BatchDrawer({
  batch,
  context,
  onClose,
}: {
  batch: StockBatch;
  context: StockContext;
  onClose: () => void;
}) {
  const { t } = useTranslation('catalog');
  const [state, setState] = useState<StockState | undefined>(undefined);
  /** The `after` of every page seen, so "previous" needs no offset. */
  const [cursors, setCursors] = useState<number[]>([0]);
  const after = cursors[cursors.length - 1]!;
  const query = useQuery({
    queryKey: stockKey.batchCodes(batch.batchId, { after, limit: PAGE, state }),
    queryFn: () =>
      api.get<StockBatchCodePage>(`/stock/batches/${batch.batchId}/codes`, { after, limit: PAGE, state }),
    placeholderData: (previous) => previous,
  });
  const zone = context.zoneOf(batch.siteId);
  return (
    <Drawer open size={760} title={t('stock.batchTitle', { id: batch.batchId })} onClose={onClose}>
      <Descriptions
        size="small"
        bordered
        column={2}
        style={{ marginBottom: 16 }}
        items={[
          { key: 'type', label: t('stock.ticketType'), children: context.typeName(batch.ticketTypeId) },
          { key: 'count', label: t('stock.count'), children: batch.count },
          { key: 'source', label: t('stock.source'), children: t(`stock.sources.${batch.source}`) },
          { key: 'by', label: t('stock.createdBy'), children: batch.createdByUsername },
          { key: 'at', label: t('stock.createdAt'), children: formatDateTime(batch.createdAt, zone) },
          { key: 'note', label: t('stock.note'), children: batch.note ?? '—' },
        ]}
      />
      <Space style={{ marginBottom: 8, width: '100%', justifyContent: 'space-between' }}>
        <Select
          aria-label={t('stock.stateFilter')}
          style={{ width: 160 }}
          value={state ?? 'all'}
          onChange={(value) => {
            setState(value === 'all' ? undefined : (value as StockState));
            setCursors([0]);
          }}
          options={[
            { value: 'all', label: t('all') },
            ...STOCK_STATES.map((value) => ({ value, label: t(`stock.states.${value}`) })),
          ]}
        />
        <Space>
          <Typography.Text type="secondary">{t('stock.pageFrom', { seq: after + 1 })}</Typography.Text>
          <Button disabled={cursors.length === 1} onClick={() => setCursors(cursors.slice(0, -1))}>
            {t('stock.previousPage')}
          </Button>
          <Button
            disabled={!query.data?.next}
            onClick={() => query.data?.next && setCursors([...cursors, query.data.next])}
          >
            {t('stock.nextPage')}
          </Button>
        </Space>
      </Space>
      <QueryView query={query}>
        {(page) => (
          <Table<StockBatchCode>
            size="small"
            rowKey="code"
            pagination={false}
            dataSource={page.items}
            loading={query.isFetching}
            data-testid="batch-codes"
            columns={[
              { title: t('stock.seq'), dataIndex: 'seq', width: 70 },
              {
                title: t('stock.codes'),
                dataIndex: 'code',
                render: (code: string) => (
                  <Typography.Text code copyable>
                    {code}
                  </Typography.Text>
                ),
              },
              {
                title: t('stock.state'),
                key: 'state',
                width: 100,
                render: (_, code) => (
                  <Tag color={STATE_COLORS[code.state]}>{t(`stock.states.${code.state}`)}</Tag>
                ),
              },
              {
                title: t('stock.holder'),
                key: 'holder',
                width: 120,
                render: (_, code) => code.holderUsername ?? '—',
              },
              {
                title: t('stock.changedAt'),
                key: 'at',
                width: 170,
                render: (_, code) => formatDateTime(code.stateChangedAt, zone),
              },
            ]}
          />
        )}
      </QueryView>
    </Drawer>
  );
}
