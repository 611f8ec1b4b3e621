/**
 * One group order (/orders/:orderId): its figures, then tabs for the lines, the real-name visitors, the money (the
 * agency account's movements from the state log and the window's payments), the tickets issued and the state log.
 * Only the actions the order's state allows are offered (states.ts), each behind the permission its route needs:
 * confirm and cancel groups.order; modify, pick up, print and close groups.manage.
 */
import {
  ArrowLeftOutlined,
  CheckOutlined,
  CloseCircleOutlined,
  EditOutlined,
  FileDoneOutlined,
  PrinterOutlined,
  ShoppingOutlined,
} from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Button, Descriptions, Space, Tabs, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams, useSearchParams } from 'react-router';
import { api } from '../../api/client';
import type { GroupOrder } from '../../api/types';
import { allows } from '../../auth/access';
import { useMe } from '../../auth/session';
import { QueryView } from '../../components/feedback';
import { formatFen } from '../../format/money';
import { formatDateTime } from '../../format/time';
import { nameOf } from '../desk/labels';
import { useSites, useSiteZone, useWindows } from '../desk/sites';
import { type ActionKind, OrderActionDialog } from './actions';
import { HistoryTable, LinesTable, MoneyPanel, TicketsTable, VisitorsTable } from './panels';
import { ModeTag, orderKey, orderPdfUrl, StateTag, useAgencies, useSlotLabel } from './shared';

const TABS = ['lines', 'visitors', 'money', 'tickets', 'history'] as const;
type Tab = (typeof TABS)[number];

export function OrderDetail() {
  const { t } = useTranslation('orders');
  const { orderId = '' } = useParams();
  const [params, setParams] = useSearchParams();
  const me = useMe().data ?? undefined;
  const [action, setAction] = useState<ActionKind>();
  const order = useQuery({
    queryKey: orderKey.one(orderId),
    queryFn: ({ signal }) =>
      api.get<GroupOrder>(`/group-orders/${encodeURIComponent(orderId)}`, undefined, signal),
  });
  const wanted = params.get('tab') as Tab | null;
  const tab: Tab = wanted && TABS.includes(wanted) ? wanted : 'lines';
  const canOrder = allows(me, 'groups.order');
  const canManage = allows(me, 'groups.manage');
  return (
    <>
      <Link to="/orders">
        <ArrowLeftOutlined /> {t('back')}
      </Link>
      <QueryView query={order}>
        {(data) => {
          const { state } = data;
          const live = state === 'held' || state === 'confirmed';
          const issued = state === 'picked_up' || state === 'closed';
          return (
            <>
              <Space style={{ width: '100%', justifyContent: 'space-between', margin: '8px 0 16px' }} wrap>
                <Space align="center" size="middle">
                  <Typography.Title level={3} style={{ margin: 0 }} data-testid="order-reference">
                    {data.reference}
                  </Typography.Title>
                  <StateTag state={state} />
                </Space>
                <Space wrap data-testid="order-actions">
                  {state === 'held' && canOrder ? (
                    <Button
                      type="primary"
                      icon={<CheckOutlined />}
                      onClick={() => setAction('confirm')}
                      data-testid="action-confirm"
                    >
                      {t('buttons.confirm')}
                    </Button>
                  ) : null}
                  {state === 'confirmed' && canManage ? (
                    <Button
                      type="primary"
                      icon={<ShoppingOutlined />}
                      onClick={() => setAction('pickUp')}
                      data-testid="action-pick-up"
                    >
                      {t('buttons.pickUp')}
                    </Button>
                  ) : null}
                  {live && canManage ? (
                    <Button
                      icon={<EditOutlined />}
                      onClick={() => setAction('modify')}
                      data-testid="action-modify"
                    >
                      {t('buttons.modify')}
                    </Button>
                  ) : null}
                  {issued && canManage ? (
                    <Button
                      type={state === 'picked_up' ? 'primary' : 'default'}
                      icon={<PrinterOutlined />}
                      href={orderPdfUrl(data.id)}
                      target="_blank"
                      rel="noopener"
                      data-testid="action-print"
                    >
                      {t('buttons.print')}
                    </Button>
                  ) : null}
                  {state === 'picked_up' && canManage ? (
                    <Button
                      icon={<FileDoneOutlined />}
                      onClick={() => setAction('close')}
                      data-testid="action-close"
                    >
                      {t('buttons.close')}
                    </Button>
                  ) : null}
                  {live && canOrder ? (
                    <Button
                      danger
                      icon={<CloseCircleOutlined />}
                      onClick={() => setAction('cancel')}
                      data-testid="action-cancel"
                    >
                      {t('buttons.cancel')}
                    </Button>
                  ) : null}
                </Space>
              </Space>
              <OrderFacts order={data} />
              <Tabs
                activeKey={tab}
                onChange={(key) =>
                  setParams(
                    (previous) => {
                      const next = new URLSearchParams(previous);
                      next.set('tab', key);
                      return next;
                    },
                    { replace: true },
                  )
                }
                items={[
                  { key: 'lines', label: t('tabs.lines'), children: <LinesTable order={data} /> },
                  {
                    key: 'visitors',
                    label: `${t('tabs.visitors')} (${data.visitors.length})`,
                    children: <VisitorsTable order={data} />,
                  },
                  { key: 'money', label: t('tabs.money'), children: <MoneyPanel order={data} /> },
                  {
                    key: 'tickets',
                    label: `${t('tabs.tickets')} (${data.tickets.length})`,
                    children: <TicketsTable order={data} />,
                  },
                  { key: 'history', label: t('tabs.history'), children: <HistoryTable order={data} /> },
                ]}
              />
              {action ? (
                <OrderActionDialog kind={action} order={data} onClose={() => setAction(undefined)} />
              ) : null}
            </>
          );
        }}
      </QueryView>
    </>
  );
}

function OrderFacts({ order }: { order: GroupOrder }) {
  const { t } = useTranslation('orders');
  const zone = useSiteZone(order.siteId);
  const agencies = useAgencies();
  const sites = useSites();
  const windows = useWindows(order.windowId ? order.siteId : undefined);
  const slotLabel = useSlotLabel(order.siteId, order.visitDate);
  const site = sites.data?.sites.find((candidate) => candidate.id === order.siteId);
  const pickUpWindow = windows.data?.windows.find((candidate) => candidate.id === order.windowId);
  const dash = '—';
  return (
    <Descriptions
      size="small"
      bordered
      column={{ xs: 1, md: 2, xl: 3 }}
      style={{ marginBottom: 16 }}
      data-testid="order-facts"
    >
      <Descriptions.Item label={t('field.agency')}>
        {agencies.nameOf(order.agencyId) ?? t('filter.ownOrders')}
      </Descriptions.Item>
      <Descriptions.Item label={t('field.site')}>{site ? nameOf(site.name) : order.siteId}</Descriptions.Item>
      <Descriptions.Item label={t('field.visit')}>
        <span data-testid="order-visit">
          {order.visitDate} · {slotLabel(order.slotId)}
        </span>
      </Descriptions.Item>
      <Descriptions.Item label={t('field.headcount')}>
        <span data-testid="order-headcount">{order.headcount}</span>
      </Descriptions.Item>
      <Descriptions.Item label={t('field.total')}>
        <span data-testid="order-total">{formatFen(order.totalFen)}</span>
      </Descriptions.Item>
      <Descriptions.Item label={t('field.paymentMode')}>
        <ModeTag mode={order.paymentMode} />
      </Descriptions.Item>
      <Descriptions.Item label={t('field.paid')}>
        <span data-testid="order-paid">{formatFen(order.paidFen)}</span>
      </Descriptions.Item>
      <Descriptions.Item label={t('field.fee')}>{formatFen(order.feeFen)}</Descriptions.Item>
      <Descriptions.Item label={t('field.refunded')}>{formatFen(order.refundedFen)}</Descriptions.Item>
      <Descriptions.Item label={t('field.holdExpires')}>
        {order.holdExpiresAt === null ? dash : formatDateTime(order.holdExpiresAt, zone)}
      </Descriptions.Item>
      <Descriptions.Item label={t('field.cancelFreeUntil')}>
        {formatDateTime(order.policy.cancelFreeUntil, zone)}
      </Descriptions.Item>
      <Descriptions.Item label={t('field.visitorsDue')}>
        {order.visitorsDueAt === null ? dash : formatDateTime(order.visitorsDueAt, zone)}
      </Descriptions.Item>
      <Descriptions.Item label={t('field.guide')}>
        {order.guide.name ? `${order.guide.name} · ${order.guide.phone ?? ''}` : dash}
      </Descriptions.Item>
      <Descriptions.Item label={t('field.window')}>
        {order.windowId ? (pickUpWindow ? nameOf(pickUpWindow.name) : order.windowId) : dash}
        {order.issueMode ? ` · ${t(`issue.${order.issueMode}`)}` : ''}
      </Descriptions.Item>
      <Descriptions.Item label={t('field.createdBy')}>
        {order.createdBy.username} · {formatDateTime(order.createdAt, zone)}
      </Descriptions.Item>
    </Descriptions>
  );
}
