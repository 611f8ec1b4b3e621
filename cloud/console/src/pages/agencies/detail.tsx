/**
 * One agency (/agencies/:agencyId): its account figures and details, then tabs for the authorised ticket types and
 * settlement prices, the linked operators, the ledger and a statement. Top-ups and adjustments need
 * agencies.adjust; editing, types and operators agencies.manage. The tab is kept in the address.
 */
import { ArrowLeftOutlined, DollarOutlined, EditOutlined, SlidersOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Button, Space, Tabs, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams, useSearchParams } from 'react-router';
import { api } from '../../api/client';
import type { Agency } from '../../api/types';
import { allows } from '../../auth/access';
import { useMe } from '../../auth/session';
import { QueryView } from '../../components/feedback';
import { useVenueZone } from '../admin/shared/venue-zone';
import { AgencyModal } from './agency-modal';
import { type MoneyKind, MoneyModal } from './money-modals';
import { OperatorsPanel } from './operators-panel';
import { AccountFigures, AgencyDetails, agencyKey, Ledger, StatementView } from './shared';
import { TypesPanel } from './types-panel';

const TABS = ['types', 'operators', 'ledger', 'statement'] as const;
type Tab = (typeof TABS)[number];

export function AgencyDetail() {
  const { t } = useTranslation('agencies');
  const { agencyId = '' } = useParams();
  const me = useMe().data ?? undefined;
  const zone = useVenueZone();
  const base = `/agencies/${agencyId}`;
  const [params, setParams] = useSearchParams();
  const [editing, setEditing] = useState(false);
  const [money, setMoney] = useState<MoneyKind>();
  const agency = useQuery({
    queryKey: [...agencyKey.of(base), 'account'],
    queryFn: ({ signal }) => api.get<Agency>(base, undefined, signal),
  });
  const canManage = allows(me, 'agencies.manage');
  const canAdjust = allows(me, 'agencies.adjust');
  const wanted = params.get('tab') as Tab | null;
  const tab: Tab = wanted && TABS.includes(wanted) ? wanted : 'types';
  return (
    <>
      <Link to="/agencies">
        <ArrowLeftOutlined /> {t('back')}
      </Link>
      <QueryView query={agency}>
        {(data) => (
          <>
            <Space style={{ width: '100%', justifyContent: 'space-between', margin: '8px 0 16px' }} wrap>
              <Typography.Title level={3} style={{ margin: 0 }} data-testid="agency-name">
                {data.name}
              </Typography.Title>
              <Space wrap>
                {canAdjust ? (
                  <>
                    <Button
                      type="primary"
                      icon={<DollarOutlined />}
                      onClick={() => setMoney('topUp')}
                      data-testid="top-up"
                    >
                      {t('ledger.topUp')}
                    </Button>
                    <Button
                      icon={<SlidersOutlined />}
                      onClick={() => setMoney('adjust')}
                      data-testid="adjust"
                    >
                      {t('ledger.adjust')}
                    </Button>
                  </>
                ) : null}
                {canManage ? (
                  <Button icon={<EditOutlined />} onClick={() => setEditing(true)}>
                    {t('edit')}
                  </Button>
                ) : null}
              </Space>
            </Space>
            <AccountFigures agency={data} />
            <AgencyDetails agency={data} zone={zone} />
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
                  key: 'types',
                  label: t('tabs.types'),
                  children: (
                    <TypesPanel
                      base={base}
                      zone={zone}
                      canManage={canManage}
                      typesReadable={allows(me, 'ticket_types.read')}
                    />
                  ),
                },
                {
                  key: 'operators',
                  label: t('tabs.operators'),
                  children: <OperatorsPanel agencyId={data.id} zone={zone} canManage={canManage} />,
                },
                { key: 'ledger', label: t('tabs.ledger'), children: <Ledger base={base} zone={zone} /> },
                {
                  key: 'statement',
                  label: t('tabs.statement'),
                  children: <StatementView base={base} zone={zone} />,
                },
              ]}
            />
            {editing ? <AgencyModal agency={data} onClose={() => setEditing(false)} /> : null}
            {money ? <MoneyModal kind={money} agency={data} onClose={() => setMoney(undefined)} /> : null}
          </>
        )}
      </QueryView>
    </>
  );
}
