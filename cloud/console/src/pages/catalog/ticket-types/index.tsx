/**
 * 票种管理: a site's ticket types with their current version, kind, price per channel and state; the editor to create
 * or change one (ticket_types.manage), its versions with what changed, activation, and the supplement fee rates.
 */
import { HistoryOutlined, PlusOutlined } from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Popconfirm, Space, Table, Tabs, Tag, Typography } from 'antd';
import { type ReactNode, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../../api/client';
import type { TicketType } from '../../../api/types';
import { allows } from '../../../auth/access';
import { useMe } from '../../../auth/session';
import { EmptyState, ErrorState, Loading, QueryView, useNotifyError } from '../../../components/feedback';
import { formatFen } from '../../../format/money';
import { type SiteOption, SiteSelect, typeName, useChosenSite, useSites, useTicketTypes } from '../shared';
import { CHANNELS } from '../vocabulary';
import { TicketTypeEditor } from './editor';
import { FeeRates } from './fee-rates';
import { VersionsDrawer } from './versions';

function ActiveSwitch({ type }: { type: TicketType }) {
  const { t } = useTranslation('catalog');
  const { message } = App.useApp();
  const client = useQueryClient();
  const notify = useNotifyError();
  const toggle = useMutation({
    mutationFn: (active: boolean) => api.patch<TicketType>(`/ticket-types/${type.typeId}`, { active }),
    onSuccess: (saved) => {
      void client.invalidateQueries({ queryKey: ['ticket-types'] });
      void message.success(
        t(saved.active ? 'types.activated' : 'types.deactivated', { name: typeName(saved) }),
      );
    },
    onError: notify,
  });
  return (
    <Popconfirm
      title={t(type.active ? 'types.confirmDeactivate' : 'types.confirmActivate', { name: typeName(type) })}
      onConfirm={() => toggle.mutate(!type.active)}
    >
      <Button size="small" danger={type.active} loading={toggle.isPending}>
        {type.active ? t('types.deactivate') : t('types.activate')}
      </Button>
    </Popconfirm>
  );
}

function TypesTable({ site, canManage }: { site: SiteOption; canManage: boolean }) {
  const { t } = useTranslation('catalog');
  const query = useTicketTypes(site.id);
  const [editing, setEditing] = useState<TicketType | 'new' | null>(null);
  const [history, setHistory] = useState<TicketType | null>(null);
  return (
    <>
      {canManage ? (
        <Space style={{ marginBottom: 12 }}>
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing('new')}>
            {t('types.create')}
          </Button>
        </Space>
      ) : (
        <Alert type="info" showIcon title={t('types.readOnly')} style={{ marginBottom: 12 }} />
      )}
      <QueryView query={query}>
        {(types) => (
          <Table<TicketType>
            rowKey="typeId"
            dataSource={types}
            pagination={false}
            data-testid="ticket-types"
            locale={{ emptyText: <EmptyState /> }}
            columns={[
              { title: t('types.typeId'), dataIndex: 'typeId', width: 72 },
              { title: t('types.code'), dataIndex: 'code', width: 110 },
              {
                title: t('types.name'),
                key: 'name',
                render: (_, type) => (
                  <Space orientation="vertical" size={0}>
                    <Typography.Text strong>{type.name.zh}</Typography.Text>
                    <Typography.Text type="secondary">{type.name.en}</Typography.Text>
                  </Space>
                ),
              },
              {
                title: t('types.kind'),
                key: 'kind',
                width: 110,
                render: (_, type) => t(`kinds.${type.kind}`),
              },
              {
                title: t('types.version'),
                key: 'version',
                width: 88,
                render: (_, type) => (
                  <Tag color="blue" data-testid={`version-of-${type.typeId}`}>
                    {t('types.versionTag', { version: type.version })}
                  </Tag>
                ),
              },
              {
                title: t('types.prices'),
                key: 'prices',
                render: (_, type) => (
                  <Space size={[4, 4]} wrap>
                    {CHANNELS.filter((channel) => type.prices[channel] !== undefined).map((channel) => (
                      <Tag key={channel}>
                        {t(`channels.${channel}`)} {formatFen(type.prices[channel]!)}
                      </Tag>
                    ))}
                  </Space>
                ),
              },
              {
                title: t('types.status'),
                key: 'active',
                width: 80,
                render: (_, type) =>
                  type.active ? (
                    <Tag color="green">{t('types.active')}</Tag>
                  ) : (
                    <Tag>{t('types.inactive')}</Tag>
                  ),
              },
              {
                title: t('types.actions'),
                key: 'actions',
                width: 260,
                render: (_, type) => (
                  <Space size={4} wrap>
                    {canManage ? (
                      <Button size="small" onClick={() => setEditing(type)}>
                        {t('types.edit')}
                      </Button>
                    ) : null}
                    <Button size="small" icon={<HistoryOutlined />} onClick={() => setHistory(type)}>
                      {t('types.versions')}
                    </Button>
                    {canManage ? <ActiveSwitch type={type} /> : null}
                  </Space>
                ),
              },
            ]}
          />
        )}
      </QueryView>
      {editing ? (
        <TicketTypeEditor
          key={editing === 'new' ? 'new' : `${editing.typeId}-${editing.version}`}
          siteId={site.id}
          {...(editing === 'new' ? {} : { type: editing })}
          onClose={() => setEditing(null)}
        />
      ) : null}
      {history ? (
        <VersionsDrawer
          type={(query.data ?? []).find((type) => type.typeId === history.typeId) ?? history}
          timeZone={site.timeZone}
          onClose={() => setHistory(null)}
        />
      ) : null}
    </>
  );
}

export default function TicketTypesPage() {
  const { t } = useTranslation('catalog');
  const me = useMe().data ?? undefined;
  const canManage = allows(me, 'ticket_types.manage');
  const sites = useSites();
  const [site, choose] = useChosenSite(sites.options);
  const types = useTicketTypes(site?.id, Boolean(site));

  let body: ReactNode;
  if (sites.isPending) body = <Loading />;
  else if (sites.error) body = <ErrorState error={sites.error} onRetry={() => sites.refetch()} />;
  else if (!site) body = <Alert type="info" showIcon title={t('site.none')} />;
  else
    body = (
      <Tabs
        items={[
          {
            key: 'types',
            label: t('types.tabTypes'),
            children: <TypesTable site={site} canManage={canManage} />,
          },
          {
            key: 'fees',
            label: t('types.tabFees'),
            children: <FeeRates types={types.data ?? []} />,
          },
        ]}
      />
    );

  return (
    <>
      <Space style={{ width: '100%', justifyContent: 'space-between', marginBottom: 8 }} wrap>
        <Typography.Title level={3} style={{ margin: 0 }}>
          {t('types.title')}
        </Typography.Title>
        {sites.options && sites.options.length > 0 ? (
          <SiteSelect options={sites.options} value={site?.id} onChange={choose} />
        ) : null}
      </Space>
      {body}
    </>
  );
}
