/**
 * 团队订单 board: one visit date's orders (today in the venue's zone until another day is chosen), filtered by
 * state, agency and site, with each state's count for the day (the API counts them under the other filters, so
 * choosing a state narrows the rows, never the counts). The filters live in the address, so the detail's "back"
 * returns to the same board.
 */
import { useInfiniteQuery } from '@tanstack/react-query';
import { Badge, Button, DatePicker, Select, Space, Table, Typography } from 'antd';
import dayjs from 'dayjs';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { api } from '../../api/client';
import type { GroupOrderPage, GroupOrderState, GroupOrderSummary } from '../../api/types';
import { ErrorAlert, QueryView } from '../../components/feedback';
import { MoreButton } from '../../components/more-button';
import { formatFen } from '../../format/money';
import { formatDateTime, today } from '../../format/time';
import { useVenueZone } from '../admin/shared/venue-zone';
import { nameOf } from '../desk/labels';
import { useCanReadVenues, useSites, useSiteZones } from '../desk/sites';
import { ModeTag, orderKey, STATE_COLORS, STATES, StateTag, useAgencies, useSlotLabel } from './shared';

const PAGE = 100;

export function OrderBoard() {
  const { t } = useTranslation('orders');
  const [params, setParams] = useSearchParams();
  const venueZone = useVenueZone();
  const zoneOf = useSiteZones();
  const siteId = params.get('site') ?? undefined;
  const zone = siteId ? zoneOf(siteId) : venueZone;
  const date = params.get('date') ?? today(zone);
  const state = (params.get('state') as GroupOrderState | null) ?? undefined;
  const agencyId = params.get('agency') ?? undefined;
  const sites = useSites();
  const canReadVenues = useCanReadVenues();
  const agencies = useAgencies();
  const slotLabel = useSlotLabel(siteId ?? sites.data?.sites[0]?.id, date);
  const set = (key: string, value: string | undefined) =>
    setParams(
      (previous) => {
        const next = new URLSearchParams(previous);
        if (value === undefined || value === '') next.delete(key);
        else next.set(key, value);
        return next;
      },
      { replace: true },
    );
  const query = { visitDate: date, siteId, state, agencyId };
  const list = useInfiniteQuery({
    queryKey: orderKey.board(query),
    queryFn: ({ pageParam, signal }) =>
      api.get<GroupOrderPage>('/group-orders', { ...query, limit: PAGE, offset: pageParam }, signal),
    initialPageParam: 0,
    getNextPageParam: (page, pages) => {
      const shown = pages.reduce((sum, p) => sum + p.orders.length, 0);
      return shown < page.total ? shown : undefined;
    },
  });
  const rows = list.data?.pages.flatMap((page) => page.orders) ?? [];
  const first = list.data?.pages[0];
  const dayTotal = first ? STATES.reduce((sum, s) => sum + (first.counts[s] ?? 0), 0) : 0;
  return (
    <>
      <Typography.Title level={3} style={{ marginTop: 0 }}>
        {t('title')}
      </Typography.Title>
      <Typography.Paragraph type="secondary">{t('intro')}</Typography.Paragraph>
      <Space wrap style={{ marginBottom: 12 }} data-testid="order-filters">
        <DatePicker
          allowClear={false}
          aria-label={t('filter.date')}
          value={dayjs(date)}
          onChange={(value) => set('date', value ? value.format('YYYY-MM-DD') : undefined)}
          data-testid="board-date"
        />
        {canReadVenues ? (
          <Select
            allowClear
            aria-label={t('filter.site')}
            placeholder={t('filter.allSites')}
            style={{ width: 180 }}
            value={siteId}
            onChange={(value?: string) => set('site', value)}
            options={(sites.data?.sites ?? []).map((site) => ({ value: site.id, label: nameOf(site.name) }))}
          />
        ) : null}
        {agencies.enabled ? (
          <Select
            allowClear
            showSearch={{ optionFilterProp: 'label' }}
            aria-label={t('filter.agency')}
            placeholder={t('filter.allAgencies')}
            style={{ width: 220 }}
            value={agencyId}
            onChange={(value?: string) => set('agency', value)}
            options={agencies.agencies.map((agency) => ({ value: agency.id, label: agency.name }))}
            data-testid="board-agency"
          />
        ) : null}
        <Select
          allowClear
          aria-label={t('filter.state')}
          placeholder={t('filter.allStates')}
          style={{ width: 150 }}
          value={state}
          onChange={(value?: GroupOrderState) => set('state', value)}
          options={STATES.map((value) => ({ value, label: t(`state.${value}`) }))}
          data-testid="board-state"
        />
      </Space>
      <Space wrap size={[8, 8]} style={{ marginBottom: 16 }} data-testid="state-counts">
        <Typography.Text type="secondary">{t('countsTitle')}</Typography.Text>
        <Button
          size="small"
          type={state === undefined ? 'primary' : 'default'}
          onClick={() => set('state', undefined)}
          data-testid="count-all"
        >
          {t('allCount')} {dayTotal}
        </Button>
        {STATES.map((value) => (
          <Button
            key={value}
            size="small"
            type={state === value ? 'primary' : 'default'}
            ghost={state === value}
            onClick={() => set('state', state === value ? undefined : value)}
            data-testid={`count-${value}`}
          >
            <Badge color={STATE_COLORS[value]} />
            {t(`state.${value}`)} {first?.counts[value] ?? 0}
          </Button>
        ))}
      </Space>
      <QueryView query={list}>
        {() => (
          <>
            <Table<GroupOrderSummary>
              rowKey="id"
              size="middle"
              dataSource={rows}
              pagination={false}
              loading={list.isFetching && !list.isFetchingNextPage}
              data-testid="orders-table"
              locale={{ emptyText: t('empty') }}
              scroll={{ x: 960 }}
              columns={[
                {
                  title: t('field.reference'),
                  key: 'reference',
                  width: 130,
                  render: (_, order) => (
                    <Link to={`/orders/${order.id}`} data-testid="order-link">
                      {order.reference}
                    </Link>
                  ),
                },
                {
                  title: t('field.agency'),
                  key: 'agency',
                  ellipsis: true,
                  render: (_, order) =>
                    agencies.nameOf(order.agencyId) ?? (
                      <Typography.Text type="secondary">{t('filter.ownOrders')}</Typography.Text>
                    ),
                },
                {
                  title: t('field.visit'),
                  key: 'visit',
                  width: 150,
                  render: (_, order) => (
                    <span style={{ whiteSpace: 'nowrap' }}>
                      {order.visitDate} · {slotLabel(order.slotId)}
                    </span>
                  ),
                },
                {
                  title: t('field.headcount'),
                  dataIndex: 'headcount',
                  width: 90,
                  align: 'right',
                },
                {
                  title: t('field.total'),
                  key: 'total',
                  width: 110,
                  align: 'right',
                  render: (_, order) => (
                    <span style={{ whiteSpace: 'nowrap', fontVariantNumeric: 'tabular-nums' }}>
                      {formatFen(order.totalFen)}
                    </span>
                  ),
                },
                {
                  title: t('field.paymentMode'),
                  key: 'mode',
                  width: 100,
                  render: (_, order) => <ModeTag mode={order.paymentMode} />,
                },
                {
                  title: t('field.state'),
                  key: 'state',
                  width: 90,
                  render: (_, order) => <StateTag state={order.state} />,
                },
                {
                  title: t('field.holdExpires'),
                  key: 'hold',
                  width: 170,
                  render: (_, order) =>
                    order.holdExpiresAt === null
                      ? '—'
                      : formatDateTime(order.holdExpiresAt, zoneOf(order.siteId)),
                },
              ]}
            />
            <ErrorAlert error={list.isFetchNextPageError ? list.error : null} />
            <Space style={{ marginTop: 12 }}>
              <MoreButton list={list} />
              {first && first.total > 0 ? (
                <Typography.Text type="secondary" data-testid="orders-total">
                  {rows.length < first.total
                    ? t('shown', { shown: rows.length, total: first.total })
                    : t('total', { count: first.total })}
                </Typography.Text>
              ) : null}
            </Space>
          </>
        )}
      </QueryView>
    </>
  );
}
