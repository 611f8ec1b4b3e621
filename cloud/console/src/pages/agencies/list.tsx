/**
 * 旅行社列表: the agencies a page at a time from the server (keyset cursor), filtered by status; create and edit
 * with agencies.manage. A name opens the agency's detail page.
 */
import { PlusOutlined } from '@ant-design/icons';
import { useInfiniteQuery } from '@tanstack/react-query';
import { Button, Select, Space, Table, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { api } from '../../api/client';
import type { Agency, AgencyPage } from '../../api/types';
import { allows } from '../../auth/access';
import { useMe } from '../../auth/session';
import { ErrorAlert, QueryView } from '../../components/feedback';
import { MoreButton } from '../../components/more-button';
import { AgencyModal } from './agency-modal';
import { agencyKey, ContactList, ModeTag, Money, StatusTag } from './shared';

const PAGE_SIZE = 50;

export function AgencyList() {
  const { t } = useTranslation('agencies');
  const me = useMe().data ?? undefined;
  const canManage = allows(me, 'agencies.manage');
  const navigate = useNavigate();
  const [status, setStatus] = useState<Agency['status']>();
  const [editing, setEditing] = useState<Agency | 'new'>();
  const list = useInfiniteQuery({
    queryKey: agencyKey.list(status),
    queryFn: ({ pageParam, signal }) =>
      api.get<AgencyPage>('/agencies', { limit: PAGE_SIZE, after: pageParam, status }, signal),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (page) => page.next ?? undefined,
  });
  const agencies = list.data?.pages.flatMap((page) => page.agencies) ?? [];
  return (
    <>
      <Space style={{ width: '100%', justifyContent: 'space-between', marginBottom: 8 }} wrap>
        <Typography.Title level={3} style={{ margin: 0 }}>
          {t('title')}
        </Typography.Title>
        {canManage ? (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing('new')}>
            {t('create')}
          </Button>
        ) : null}
      </Space>
      <Typography.Paragraph type="secondary">{t('intro')}</Typography.Paragraph>
      <Space wrap style={{ marginBottom: 16 }}>
        <Select
          allowClear
          placeholder={t('anyStatus')}
          aria-label={t('field.status')}
          style={{ width: 160 }}
          value={status}
          onChange={(value?: Agency['status']) => setStatus(value)}
          options={(['active', 'suspended'] as const).map((value) => ({
            value,
            label: t(`status.${value}`),
          }))}
        />
      </Space>
      <QueryView query={list}>
        {() => (
          <>
            <Table<Agency>
              rowKey="id"
              size="middle"
              dataSource={agencies}
              pagination={false}
              loading={list.isFetching && !list.isFetchingNextPage}
              data-testid="agencies-table"
              locale={{ emptyText: t('empty') }}
              scroll={{ x: 1100 }}
              columns={[
                {
                  title: t('field.name'),
                  key: 'name',
                  width: 220,
                  render: (_, agency) => <Link to={`/agencies/${agency.id}`}>{agency.name}</Link>,
                },
                { title: t('field.licenceNo'), dataIndex: 'licenceNo', width: 180 },
                {
                  title: t('field.contacts'),
                  key: 'contacts',
                  width: 220,
                  render: (_, agency) => <ContactList contacts={agency.contacts} />,
                },
                {
                  title: t('field.status'),
                  key: 'status',
                  width: 100,
                  render: (_, agency) => <StatusTag status={agency.status} />,
                },
                {
                  title: t('field.paymentMode'),
                  key: 'mode',
                  width: 120,
                  render: (_, agency) => <ModeTag mode={agency.paymentMode} />,
                },
                {
                  title: t('field.balance'),
                  key: 'balance',
                  width: 140,
                  align: 'right',
                  render: (_, agency) => <Money fen={agency.balanceFen} />,
                },
                {
                  title: t('field.creditLimit'),
                  key: 'credit',
                  width: 140,
                  align: 'right',
                  render: (_, agency) =>
                    agency.paymentMode === 'credit' ? <Money fen={agency.creditLimitFen} /> : '—',
                },
                {
                  title: t('actions'),
                  key: 'actions',
                  width: 150,
                  render: (_, agency) => (
                    <Space size="small">
                      <Button size="small" onClick={() => navigate(`/agencies/${agency.id}`)}>
                        {t('open')}
                      </Button>
                      {canManage ? (
                        <Button size="small" onClick={() => setEditing(agency)}>
                          {t('edit')}
                        </Button>
                      ) : null}
                    </Space>
                  ),
                },
              ]}
            />
            <ErrorAlert error={list.isFetchNextPageError ? list.error : null} />
            <Space style={{ marginTop: 12 }}>
              <MoreButton list={list} />
              {agencies.length > 0 ? (
                <Typography.Text type="secondary">{t('total', { count: agencies.length })}</Typography.Text>
              ) : null}
            </Space>
          </>
        )}
      </QueryView>
      {editing ? (
        <AgencyModal
          {...(editing === 'new' ? {} : { agency: editing })}
          onClose={(saved) => {
            const created = editing === 'new';
            setEditing(undefined);
            if (saved && created) navigate(`/agencies/${saved.id}`);
          }}
        />
      ) : null}
    </>
  );
}
