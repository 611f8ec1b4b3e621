/**
 * 景区与闸机: the sites (time zone, daily cap, in-park capacity) and, for the site picked, its zones, ticket windows
 * and gate registry with credentials. Lists page on the server (keyset `after`); edits need venues.manage,
 * credentials gates.manage, the in-park capacity reading reports.read.
 */
import { PlusOutlined } from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Button, Card, Empty, Space, Table, Tabs, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../../api/client';
import type { Site, TicketWindow, Zone } from '../../../api/types';
import { allows } from '../../../auth/access';
import { useMe } from '../../../auth/session';
import { ErrorAlert, useNotifyError } from '../../../components/feedback';
import { MoreButton } from '../../../components/more-button';
import { useInParkCapacities, useSites, useWindows, useZones } from '../shared/queries';
import { venueName } from '../shared/venue-fields';
import { GatesTab } from './gates';
import { ItemModal, SiteModal } from './modals';
import { RowActions } from './row-actions';

export default function VenuesPage() {
  const { t } = useTranslation(['admin', 'common']);
  const me = useMe().data ?? undefined;
  const canManage = allows(me, 'venues.manage');
  const readsOccupancy = allows(me, 'reports.read');
  const sites = useSites();
  const capacities = useInParkCapacities(readsOccupancy);
  const [picked, setPicked] = useState<string>();
  const [editing, setEditing] = useState<Site | 'new'>();
  const client = useQueryClient();
  const notifyError = useNotifyError();
  const remove = useMutation({
    mutationFn: (site: Site) => api.delete<void>(`/sites/${site.id}`),
    onSuccess: () => client.invalidateQueries({ queryKey: ['sites'] }),
    onError: notifyError,
  });
  const selected = sites.items.find((site) => site.id === picked) ?? sites.items[0];
  const unlimited = <Typography.Text type="secondary">{t('form.unlimited')}</Typography.Text>;

  return (
    <>
      <Space style={{ width: '100%', justifyContent: 'space-between', marginBottom: 16 }} wrap>
        <Typography.Title level={3} style={{ margin: 0 }}>
          {t('venues.title')}
        </Typography.Title>
        {canManage ? (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing('new')}>
            {t('venues.createSite')}
          </Button>
        ) : null}
      </Space>
      <ErrorAlert error={sites.error} />
      <Table<Site>
        rowKey="id"
        size="middle"
        loading={sites.isPending}
        dataSource={sites.items}
        pagination={false}
        data-testid="venue-sites"
        locale={{ emptyText: t('venues.noSites') }}
        rowSelection={{
          type: 'radio',
          selectedRowKeys: selected ? [selected.id] : [],
          onChange: ([key]) => setPicked(String(key)),
          getCheckboxProps: (site) => ({ 'aria-label': venueName(site.name) }),
        }}
        onRow={(site) => ({ onClick: () => setPicked(site.id), style: { cursor: 'pointer' } })}
        columns={[
          { title: t('form.id'), dataIndex: 'id', width: 140 },
          { title: t('form.name'), render: (_, site) => venueName(site.name) },
          { title: t('site.timezone'), dataIndex: 'timezone', width: 170 },
          {
            title: t('site.dailyCapacity'),
            width: 130,
            render: (_, site) =>
              site.dailyCapacity === null ? unlimited : site.dailyCapacity.toLocaleString(),
          },
          ...(readsOccupancy
            ? [
                {
                  title: t('site.inParkCapacity'),
                  width: 120,
                  render: (_: unknown, site: Site) => {
                    const capacity = capacities.data?.get(site.id);
                    return capacity === undefined
                      ? '…'
                      : capacity === null
                        ? unlimited
                        : capacity.toLocaleString();
                  },
                },
              ]
            : []),
          ...(canManage
            ? [
                {
                  title: t('form.actions'),
                  width: 130,
                  render: (_: unknown, site: Site) => (
                    <RowActions
                      name={venueName(site.name)}
                      deleteHelp={t('venues.deleteSiteHelp')}
                      stopsRowClick
                      onEdit={() => setEditing(site)}
                      onDelete={() => remove.mutateAsync(site)}
                    />
                  ),
                },
              ]
            : []),
        ]}
      />
      <MoreButton list={sites} style={{ marginTop: 12 }} />
      {selected ? (
        <SiteDetails key={selected.id} site={selected} canManage={canManage} />
      ) : sites.isSuccess ? (
        <Empty style={{ marginTop: 24 }} description={t('venues.noSites')} />
      ) : null}
      {editing ? (
        <SiteModal
          site={editing === 'new' ? undefined : editing}
          inPark={editing === 'new' ? null : capacities.data?.get(editing.id)}
          inParkKnown={readsOccupancy && capacities.isSuccess}
          onClose={(saved) => {
            setEditing(undefined);
            if (saved) setPicked(saved.id);
          }}
        />
      ) : null}
    </>
  );
}

function SiteDetails({ site, canManage }: { site: Site; canManage: boolean }) {
  const { t } = useTranslation(['admin', 'common']);
  const zones = useZones(site.id);
  return (
    <Card
      style={{ marginTop: 20 }}
      title={t('venues.siteDetails', { name: venueName(site.name), id: site.id })}
    >
      <Tabs
        items={[
          {
            key: 'zones',
            label: t('venues.zones'),
            children: <ItemsTab kind="zones" siteId={site.id} zones={zones.items} canManage={canManage} />,
          },
          {
            key: 'windows',
            label: t('venues.windows'),
            children: <ItemsTab kind="windows" siteId={site.id} zones={zones.items} canManage={canManage} />,
          },
          {
            key: 'gates',
            label: t('venues.gates'),
            children: <GatesTab siteId={site.id} zones={zones.items} canManage={canManage} />,
          },
        ]}
      />
    </Card>
  );
}

function ItemsTab({
  kind,
  siteId,
  zones,
  canManage,
}: {
  kind: 'zones' | 'windows';
  siteId: string;
  zones: Zone[];
  canManage: boolean;
}) {
  const { t } = useTranslation(['admin', 'common']);
  const zoneList = useZones(kind === 'zones' ? siteId : undefined);
  const windowList = useWindows(kind === 'windows' ? siteId : undefined);
  const list = kind === 'zones' ? zoneList : windowList;
  const items: (Zone | TicketWindow)[] = list.items;
  const [editing, setEditing] = useState<Zone | TicketWindow | 'new'>();
  const client = useQueryClient();
  const notifyError = useNotifyError();
  const remove = useMutation({
    mutationFn: (item: Zone | TicketWindow) => api.delete<void>(`/sites/${siteId}/${kind}/${item.id}`),
    onSuccess: () => client.invalidateQueries({ queryKey: [kind] }),
    onError: notifyError,
  });
  return (
    <>
      {canManage ? (
        <Button type="primary" onClick={() => setEditing('new')} style={{ marginBottom: 12 }}>
          {t(kind === 'zones' ? 'venues.createZone' : 'venues.createWindow')}
        </Button>
      ) : null}
      <ErrorAlert error={list.error} />
      <Table<Zone | TicketWindow>
        rowKey="id"
        size="small"
        loading={list.isPending}
        dataSource={items}
        pagination={false}
        data-testid={`venue-${kind}`}
        locale={{ emptyText: t(kind === 'zones' ? 'setup.noZones' : 'setup.noWindows') }}
        columns={[
          { title: t('form.id'), dataIndex: 'id', width: 140 },
          { title: t('form.name'), render: (_, item) => venueName(item.name) },
          ...(kind === 'zones'
            ? [
                {
                  title: t('zone.capacity'),
                  width: 140,
                  render: (_: unknown, item: Zone | TicketWindow) =>
                    'capacity' in item && item.capacity !== null
                      ? item.capacity.toLocaleString()
                      : t('form.unlimited'),
                },
              ]
            : []),
          {
            title: t('form.status'),
            width: 100,
            render: (_, item) =>
              item.active ? <Tag color="green">{t('form.inUse')}</Tag> : <Tag>{t('form.notInUse')}</Tag>,
          },
          ...(canManage
            ? [
                {
                  title: t('form.actions'),
                  width: 130,
                  render: (_: unknown, item: Zone | TicketWindow) => (
                    <RowActions
                      name={venueName(item.name)}
                      onEdit={() => setEditing(item)}
                      onDelete={() => remove.mutateAsync(item)}
                    />
                  ),
                },
              ]
            : []),
        ]}
      />
      <MoreButton list={list} style={{ marginTop: 12 }} />
      {editing ? (
        <ItemModal
          kind={kind}
          siteId={siteId}
          item={editing === 'new' ? undefined : editing}
          zones={zones}
          onClose={() => setEditing(undefined)}
        />
      ) : null}
    </>
  );
}
