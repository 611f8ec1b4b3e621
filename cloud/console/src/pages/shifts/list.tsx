/** The shifts, newest first, filtered by site, window, cashier, opening date and state; paged on the server. */
import { useQuery } from '@tanstack/react-query';
import { Button, DatePicker, Form, Input, Select, Table, Typography } from 'antd';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { TillShift } from '../../api/types';
import { ErrorState } from '../../components/feedback';
import { formatDateTime } from '../../format/time';
import { Money } from '../desk/labels';
import { useSiteZones } from '../desk/sites';
import { shiftListQuery } from './queries';
import { SiteField } from './site-field';
import { ShiftStateTag, Variance } from './variance';

const PAGE = 20;

interface Filters {
  siteId?: string;
  windowId?: string;
  cashierId?: string;
  state?: TillShift['state'];
  days?: [Dayjs, Dayjs] | null;
}

export function ShiftList() {
  const { t } = useTranslation('shifts');
  const { t: tc } = useTranslation();
  const zoneOf = useSiteZones();
  const [filters, setFilters] = useState<Record<string, string | undefined>>({});
  const [page, setPage] = useState(1);
  const query = { ...filters, limit: PAGE, offset: (page - 1) * PAGE };
  const list = useQuery(shiftListQuery(query));
  const apply = (values: Filters) => {
    setPage(1);
    setFilters({
      siteId: values.siteId?.trim() || undefined,
      windowId: values.windowId?.trim() || undefined,
      cashierId: values.cashierId?.trim() || undefined,
      state: values.state,
      from: values.days?.[0].format('YYYY-MM-DD'),
      to: values.days?.[1].format('YYYY-MM-DD'),
    });
  };
  return (
    <>
      <Typography.Title level={3}>{t('list.title')}</Typography.Title>
      <Form<Filters>
        layout="inline"
        onFinish={apply}
        style={{ rowGap: 12, marginBottom: 16 }}
        data-testid="shift-filters"
      >
        <Form.Item label={t('list.site')} name="siteId">
          <SiteField allowClear />
        </Form.Item>
        <Form.Item label={t('list.window')} name="windowId">
          <Input style={{ width: 100 }} allowClear />
        </Form.Item>
        <Form.Item label={t('list.cashier')} name="cashierId">
          <Input style={{ width: 160 }} allowClear />
        </Form.Item>
        <Form.Item label={t('list.state')} name="state">
          <Select
            allowClear
            style={{ width: 130 }}
            options={(['open', 'pending_approval', 'closed'] as const).map((state) => ({
              value: state,
              label: t(`states.${state}`),
            }))}
          />
        </Form.Item>
        <Form.Item label={t('list.from')} name="days">
          <DatePicker.RangePicker />
        </Form.Item>
        <Button type="primary" htmlType="submit">
          {tc('actions.search')}
        </Button>
      </Form>
      {list.error ? (
        <ErrorState error={list.error} onRetry={() => list.refetch()} />
      ) : (
        <Table<TillShift>
          rowKey="id"
          size="middle"
          loading={list.isPending}
          dataSource={list.data?.shifts ?? []}
          data-testid="shift-list"
          pagination={{
            current: page,
            pageSize: PAGE,
            total: list.data?.total ?? 0,
            showSizeChanger: false,
            onChange: setPage,
            showTotal: (count) => t('list.total', { count }),
          }}
          columns={[
            { title: t('list.site'), dataIndex: 'siteId' },
            { title: t('list.window'), dataIndex: 'windowId' },
            { title: t('list.cashierName'), render: (_, s) => s.cashier.username },
            { title: t('list.state'), render: (_, s) => <ShiftStateTag state={s.state} /> },
            { title: t('list.opened'), render: (_, s) => formatDateTime(s.openedAt, zoneOf(s.siteId)) },
            {
              title: t('list.closed'),
              render: (_, s) => (s.closedAt === null ? '—' : formatDateTime(s.closedAt, zoneOf(s.siteId))),
            },
            { title: t('list.float'), align: 'right', render: (_, s) => <Money fen={s.floatFen} /> },
            {
              title: t('list.counted'),
              align: 'right',
              render: (_, s) => (s.countedCashFen === null ? '—' : <Money fen={s.countedCashFen} />),
            },
            { title: t('list.variance'), render: (_, s) => <Variance fen={s.varianceFen} /> },
            {
              title: '',
              render: (_, s) => (
                <Link to={`/shifts/${s.id}`} data-testid={`shift-link-${s.id}`}>
                  {t('list.detail')}
                </Link>
              ),
            },
          ]}
        />
      )}
    </>
  );
}
