/**
 * 操作员: the operators, paged and searched on the server; create, edit roles and status, reset a password (the
 * operator then changes it at the next sign-in) and lift a sign-in lock. Changes need operators.manage.
 */
import { KeyOutlined, PlusOutlined, UnlockOutlined } from '@ant-design/icons';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Input, Select, Space, Table, Tag, Tooltip, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../../api/client';
import type { Operator, Role } from '../../../api/types';
import { allows } from '../../../auth/access';
import { useMe } from '../../../auth/session';
import { ErrorAlert, useNotifyError } from '../../../components/feedback';
import { formatDateTime } from '../../../format/time';
import { currentLanguage } from '../../../i18n';
import { useVenueZone } from '../shared/venue-zone';
import { OperatorModal, PasswordModal } from './modals';

const PAGE_SIZE = 20;

interface Filter {
  q?: string;
  role?: string;
  active?: 'true' | 'false';
}

export function useRoles() {
  return useQuery({ queryKey: ['roles', 'list'], queryFn: () => api.get<Role[]>('/roles') });
}

export function roleName(roles: readonly Role[] | undefined, code: string): string {
  const role = roles?.find((candidate) => candidate.code === code);
  return role ? role.name[currentLanguage()] : code;
}

function lockedAt(until: number | null): boolean {
  return until !== null && until > Date.now();
}

/** Signing in, or asking for second approvals (too many wrong approver passwords): the unlock lifts both. */
function isLocked(operator: Operator): boolean {
  return lockedAt(operator.lockedUntil) || lockedAt(operator.approvalsLockedUntil);
}

function mustChange(operator: Operator): boolean {
  return Boolean((operator as { mustChangePassword?: boolean }).mustChangePassword);
}

export default function OperatorsPage() {
  const { t } = useTranslation('admin');
  const me = useMe().data ?? undefined;
  const canManage = allows(me, 'operators.manage');
  const zone = useVenueZone();
  const [filter, setFilter] = useState<Filter>({});
  const [page, setPage] = useState(1);
  const [editing, setEditing] = useState<Operator | 'new'>();
  const [resetting, setResetting] = useState<Operator>();
  const roles = useRoles();
  const client = useQueryClient();
  const { modal, message } = App.useApp();
  const notifyError = useNotifyError();

  const list = useQuery({
    queryKey: ['operators', 'list', filter, page],
    queryFn: ({ signal }) =>
      api.get<{ items: Operator[]; total: number }>(
        '/operators',
        { ...filter, limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE },
        signal,
      ),
    placeholderData: keepPreviousData,
  });

  const unlock = useMutation({
    mutationFn: (operator: Operator) => api.post<Operator>(`/operators/${operator.id}/unlock`),
    onSuccess: (operator) => {
      void message.success(t('operators.unlocked', { name: operator.displayName }));
      return client.invalidateQueries({ queryKey: ['operators'] });
    },
    onError: notifyError,
  });

  const search = (next: Filter) => {
    setFilter(next);
    setPage(1);
  };

  const name = (operator: Operator) =>
    t('operators.nameWithUsername', { name: operator.displayName, username: operator.username });

  return (
    <>
      <Space style={{ width: '100%', justifyContent: 'space-between', marginBottom: 16 }} wrap>
        <Typography.Title level={3} style={{ margin: 0 }}>
          {t('operators.title')}
        </Typography.Title>
        {canManage ? (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing('new')}>
            {t('operators.create')}
          </Button>
        ) : null}
      </Space>
      <Space wrap style={{ marginBottom: 16 }}>
        <Input.Search
          allowClear
          placeholder={t('operators.search')}
          aria-label={t('operators.search')}
          maxLength={64}
          style={{ width: 260 }}
          onSearch={(q) => search({ ...filter, q: q.trim() || undefined })}
        />
        <Select
          allowClear
          placeholder={t('operators.anyRole')}
          aria-label={t('operators.roles')}
          style={{ width: 180 }}
          value={filter.role}
          options={(roles.data ?? []).map((role) => ({
            value: role.code,
            label: role.name[currentLanguage()],
          }))}
          onChange={(role?: string) => search({ ...filter, role })}
        />
        <Select
          allowClear
          placeholder={t('operators.anyStatus')}
          aria-label={t('form.status')}
          style={{ width: 140 }}
          value={filter.active}
          options={[
            { value: 'true', label: t('operators.active') },
            { value: 'false', label: t('operators.inactive') },
          ]}
          onChange={(active?: 'true' | 'false') => search({ ...filter, active })}
        />
      </Space>
      <ErrorAlert error={list.error} />
      <Table<Operator>
        rowKey="id"
        size="middle"
        loading={list.isFetching}
        dataSource={list.data?.items}
        data-testid="operators-table"
        pagination={{
          current: page,
          pageSize: PAGE_SIZE,
          total: list.data?.total ?? 0,
          showSizeChanger: false,
          showTotal: (total) => t('operators.total', { total }),
          onChange: setPage,
        }}
        columns={[
          { title: t('operators.username'), dataIndex: 'username', width: 160 },
          { title: t('operators.displayName'), dataIndex: 'displayName', width: 160 },
          {
            title: t('operators.roles'),
            render: (_, operator) => (
              <Space size={[4, 4]} wrap>
                {operator.roles.map((code) => (
                  <Tag key={code}>{roleName(roles.data, code)}</Tag>
                ))}
              </Space>
            ),
          },
          {
            title: t('operators.sites'),
            width: 160,
            render: (_, operator) =>
              operator.siteIds.length === 0 ? (
                t('operators.allSites')
              ) : (
                <Space size={[4, 4]} wrap>
                  {operator.siteIds.map((id) => (
                    <Tag key={id}>{id}</Tag>
                  ))}
                </Space>
              ),
          },
          {
            title: t('form.status'),
            width: 200,
            render: (_, operator) => (
              <Space size={[4, 4]} wrap>
                {operator.active ? (
                  <Tag color="green">{t('operators.active')}</Tag>
                ) : (
                  <Tag>{t('operators.inactive')}</Tag>
                )}
                {lockedAt(operator.lockedUntil) ? (
                  <Tooltip
                    title={t('operators.lockedUntil', { time: formatDateTime(operator.lockedUntil!, zone) })}
                  >
                    <Tag color="red">{t('operators.locked')}</Tag>
                  </Tooltip>
                ) : null}
                {lockedAt(operator.approvalsLockedUntil) ? (
                  <Tooltip
                    title={t('operators.lockedUntil', {
                      time: formatDateTime(operator.approvalsLockedUntil!, zone),
                    })}
                  >
                    <Tag color="volcano">{t('operators.approvalsLocked')}</Tag>
                  </Tooltip>
                ) : null}
                {mustChange(operator) ? <Tag color="orange">{t('operators.mustChange')}</Tag> : null}
              </Space>
            ),
          },
          {
            title: t('operators.lastLogin'),
            width: 180,
            render: (_, operator) =>
              operator.lastLoginAt === null ? (
                <Typography.Text type="secondary">{t('operators.never')}</Typography.Text>
              ) : (
                formatDateTime(operator.lastLoginAt, zone)
              ),
          },
          ...(canManage
            ? [
                {
                  title: t('form.actions'),
                  width: 250,
                  render: (_: unknown, operator: Operator) => (
                    <Space size={0} wrap>
                      <Button type="link" size="small" onClick={() => setEditing(operator)}>
                        {t('form.edit')}
                      </Button>
                      <Button
                        type="link"
                        size="small"
                        icon={<KeyOutlined />}
                        onClick={() => setResetting(operator)}
                      >
                        {t('operators.resetPassword')}
                      </Button>
                      {isLocked(operator) || operator.failedLogins > 0 ? (
                        <Button
                          type="link"
                          size="small"
                          icon={<UnlockOutlined />}
                          onClick={() =>
                            modal.confirm({
                              title: t('operators.unlockConfirm', { name: name(operator) }),
                              onOk: () => unlock.mutateAsync(operator).catch(() => undefined),
                            })
                          }
                        >
                          {t('operators.unlock')}
                        </Button>
                      ) : null}
                    </Space>
                  ),
                },
              ]
            : []),
        ]}
      />
      {editing ? (
        <OperatorModal
          operator={editing === 'new' ? undefined : editing}
          roles={roles.data ?? []}
          self={editing !== 'new' && editing.id === me?.id}
          onClose={() => setEditing(undefined)}
        />
      ) : null}
      {resetting ? <PasswordModal operator={resetting} onClose={() => setResetting(undefined)} /> : null}
    </>
  );
}
