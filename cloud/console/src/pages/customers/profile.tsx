/**
 * One customer (/customers/:customerId): their details, a summary of spending and visits (the API's, in the site's
 * time zone), then tabs for purchases (a sale opens in the desk's sale drawer with sales.read), member cards and the
 * points ledger. The tab is kept in the address.
 */
import { ArrowLeftOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Card, Descriptions, Space, Statistic, Tabs, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link, useParams, useSearchParams } from 'react-router';
import { api } from '../../api/client';
import type { Customer } from '../../api/types';
import { QueryView } from '../../components/feedback';
import { formatFen } from '../../format/money';
import { formatDateTime } from '../../format/time';
import { useSiteLabel, useSiteZone } from '../desk/sites';
import { CardsPanel } from './cards';
import { PointsPanel } from './points';
import { PurchasesTable, useHistory, VisitsTable } from './purchases';
import { customerKey, KindTag } from './shared';

const TABS = ['purchases', 'visits', 'cards', 'points'] as const;
type Tab = (typeof TABS)[number];

export function CustomerProfile() {
  const { t } = useTranslation('customers');
  const { customerId = '' } = useParams();
  const [params, setParams] = useSearchParams();
  const customer = useQuery({
    queryKey: customerKey.one(customerId),
    queryFn: ({ signal }) =>
      api.get<Customer>(`/customers/${encodeURIComponent(customerId)}`, undefined, signal),
  });
  const wanted = params.get('tab') as Tab | null;
  const tab: Tab = wanted && TABS.includes(wanted) ? wanted : 'purchases';
  return (
    <>
      <Link to="/customers">
        <ArrowLeftOutlined /> {t('back')}
      </Link>
      <QueryView query={customer}>
        {(data) => (
          <>
            <Space align="center" size="middle" style={{ display: 'flex', margin: '8px 0 16px' }}>
              <Typography.Title level={3} style={{ margin: 0 }} data-testid="customer-name">
                {data.name}
              </Typography.Title>
              <KindTag kind={data.kind} />
            </Space>
            <CustomerFacts customer={data} />
            <Summary customer={data} />
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
              destroyOnHidden
              items={[
                {
                  key: 'purchases',
                  label: t('tabs.purchases'),
                  children: <PurchasesTable customer={data} />,
                },
                { key: 'visits', label: t('tabs.visits'), children: <VisitsTable customer={data} /> },
                {
                  key: 'cards',
                  label: `${t('tabs.cards')} (${data.cards.filter((c) => c.status === 'active').length})`,
                  children: <CardsPanel customer={data} />,
                },
                { key: 'points', label: t('tabs.points'), children: <PointsPanel customer={data} /> },
              ]}
            />
          </>
        )}
      </QueryView>
    </>
  );
}

function CustomerFacts({ customer }: { customer: Customer }) {
  const { t } = useTranslation('customers');
  const zone = useSiteZone(customer.siteId);
  const siteLabel = useSiteLabel();
  return (
    <Descriptions size="small" column={{ xs: 1, md: 2, xl: 3 }} style={{ marginBottom: 16 }}>
      <Descriptions.Item label={t('field.phone')}>{customer.phone ?? '—'}</Descriptions.Item>
      <Descriptions.Item label={t('field.id')}>{customer.idMasked ?? '—'}</Descriptions.Item>
      <Descriptions.Item label={t('field.site')}>{siteLabel(customer.siteId)}</Descriptions.Item>
      <Descriptions.Item label={t('field.tags')}>
        {customer.tags.length > 0 ? customer.tags.map((tag) => <Tag key={tag}>{tag}</Tag>) : '—'}
      </Descriptions.Item>
      <Descriptions.Item label={t('field.createdAt')}>
        {formatDateTime(customer.createdAt, zone)}
      </Descriptions.Item>
      <Descriptions.Item label={t('field.note')}>{customer.note ?? '—'}</Descriptions.Item>
    </Descriptions>
  );
}

function Summary({ customer }: { customer: Customer }) {
  const { t } = useTranslation('customers');
  const history = useHistory(customer.id);
  const s = history.data?.summary;
  const figures = [
    { key: 'spent', value: s ? formatFen(s.spentFen) : '…' },
    { key: 'sales', value: s ? String(s.sales) : '…' },
    { key: 'tickets', value: s ? String(s.tickets) : '…' },
    { key: 'visits', value: s ? String(s.visits) : '…' },
    { key: 'lastVisit', value: s ? (s.lastVisit ?? t('summary.never')) : '…' },
  ] as const;
  return (
    <Card size="small" style={{ marginBottom: 16 }} data-testid="customer-summary">
      <Space size={40} wrap>
        {figures.map((figure) => (
          <Statistic
            key={figure.key}
            title={t(`summary.${figure.key}`)}
            valueRender={() => (
              <span data-testid={`summary-${figure.key}`} style={{ whiteSpace: 'nowrap' }}>
                {figure.value}
              </span>
            )}
          />
        ))}
      </Space>
    </Card>
  );
}
