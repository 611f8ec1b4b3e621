/**
 * 补票记录: supplements newest first, paged on the server (`before` = the last one shown), by site or ticket; each
 * one's kind, old and new ticket, amount and payments, operator and approver. A new supplement starts from the
 * ticket itself: 办理补票 goes to 票效查询, where the visitor's ticket is scanned.
 */
import { SwapOutlined } from '@ant-design/icons';
import { useInfiniteQuery } from '@tanstack/react-query';
import { Button, Form, Input, Space, Table, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { api } from '../../../api/client';
import type { Supplement } from '../../../api/types';
import { allows } from '../../../auth/access';
import { useMe } from '../../../auth/session';
import { ErrorState } from '../../../components/feedback';
import { formatDateTime } from '../../../format/time';
import { FilterBar, type FilterValues } from '../filters';
import { Money, usePaymentsText } from '../labels';
import { LoadMore } from '../paged';
import { useSiteZones } from '../sites';

const PAGE = 50;

export default function SupplementsPage() {
  const { t } = useTranslation('desk');
  const me = useMe().data ?? undefined;
  const navigate = useNavigate();
  const zoneOf = useSiteZones();
  const paymentsText = usePaymentsText();
  const [filters, setFilters] = useState<Record<string, string | number | undefined>>({});

  const supplements = useInfiniteQuery({
    queryKey: ['supplements', 'list', filters],
    queryFn: ({ pageParam, signal }) =>
      api.get<Supplement[]>('/supplements', { ...filters, limit: PAGE, before: pageParam }, signal),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => (last.length === PAGE ? last[last.length - 1]!.id : undefined),
  });
  const rows = supplements.data?.pages.flat() ?? [];

  return (
    <>
      <Space
        style={{ width: '100%', justifyContent: 'space-between', alignItems: 'center', marginBottom: 8 }}
      >
        <Typography.Title level={3} style={{ margin: 0 }}>
          {t('supplements.title')}
        </Typography.Title>
        {allows(me, 'supplements.sell') ? (
          <Button type="primary" icon={<SwapOutlined />} onClick={() => navigate('/lookup')}>
            {t('supplements.start')}
          </Button>
        ) : null}
      </Space>
      <FilterBar
        withDays={false}
        withMine={false}
        onApply={(values: FilterValues) =>
          setFilters({
            siteId: values.siteId,
            ticketId: (values.ticketId as string | undefined)?.trim() || undefined,
          })
        }
      >
        <Form.Item
          label={t('supplements.ticket')}
          name="ticketId"
          rules={[{ pattern: /^\s*\d{1,13}\s*$/, message: t('supplements.ticketInvalid') }]}
        >
          <Input allowClear style={{ width: 200 }} inputMode="numeric" autoComplete="off" />
        </Form.Item>
      </FilterBar>
      {supplements.error && !supplements.data ? (
        <ErrorState error={supplements.error} onRetry={() => supplements.refetch()} />
      ) : (
        <>
          <Table<Supplement>
            rowKey="id"
            size="middle"
            loading={supplements.isPending}
            dataSource={rows}
            pagination={false}
            data-testid="supplements-table"
            locale={{ emptyText: t('supplements.empty') }}
            columns={[
              {
                title: t('supplements.at'),
                width: 170,
                render: (_, s) => formatDateTime(s.createdAt, zoneOf(s.siteId)),
              },
              { title: t('supplements.kind'), width: 100, render: (_, s) => t(`supplement.kinds.${s.kind}`) },
              {
                title: t('supplements.tickets'),
                width: 250,
                render: (_, s) => (s.newTicketId ? `${s.ticketId} → ${s.newTicketId}` : String(s.ticketId)),
              },
              {
                title: t('supplements.reason'),
                ellipsis: true,
                render: (_, s) =>
                  [
                    s.reason
                      ? t(`supplement.reasons.${s.reason as 'other'}`, { defaultValue: s.reason })
                      : null,
                    s.note,
                  ]
                    .filter(Boolean)
                    .join(' · ') || '—',
              },
              {
                title: t('supplements.amount'),
                width: 100,
                align: 'right',
                render: (_, s) => <Money fen={s.amountFen} strong />,
              },
              { title: t('supplements.payments'), render: (_, s) => paymentsText(s.payments) },
              {
                title: t('supplements.change'),
                width: 90,
                align: 'right',
                render: (_, s) => <Money fen={s.changeFen} />,
              },
              { title: t('supplements.cashier'), width: 100, render: (_, s) => s.cashier.username },
              {
                title: t('supplements.approvedBy'),
                width: 100,
                render: (_, s) => s.approvedBy?.username ?? '—',
              },
            ]}
          />
          <LoadMore
            shown={rows.length}
            hasMore={supplements.hasNextPage}
            loading={supplements.isFetchingNextPage}
            onMore={() => void supplements.fetchNextPage()}
          />
        </>
      )}
    </>
  );
}
