/**
 * 角色与权限: the roles as a permission matrix — one row per permission of the API's catalogue (GET /permissions, with
 * its zh-CN and en description), one column per role. Ticking changes a draft; each role's column saves on its own
 * (PATCH /roles/:code with the full permission list). Creating a role may copy another's permissions.
 */
import { PlusOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Checkbox, Space, Table, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../../api/client';
import type { PermissionInfo, Role } from '../../../api/types';
import { allows } from '../../../auth/access';
import { useMe } from '../../../auth/session';
import { QueryView, useNotifyError } from '../../../components/feedback';
import { currentLanguage } from '../../../i18n';
import { type Drafts, draftChanged, toggled } from './drafts';
import { RoleModal } from './role-modal';

export default function RolesPage() {
  const { t } = useTranslation('admin');
  const roles = useQuery({ queryKey: ['roles', 'list'], queryFn: () => api.get<Role[]>('/roles') });
  const permissions = useQuery({
    queryKey: ['permissions', 'list'],
    queryFn: () => api.get<PermissionInfo[]>('/permissions'),
    staleTime: Number.POSITIVE_INFINITY,
  });
  const both = {
    data: roles.data && permissions.data ? { roles: roles.data, permissions: permissions.data } : undefined,
    error: roles.error ?? permissions.error,
    isPending: roles.isPending || permissions.isPending,
    refetch: () => Promise.all([roles.refetch(), permissions.refetch()]),
  };
  return (
    <>
      <Typography.Title level={3}>{t('roles.title')}</Typography.Title>
      <QueryView query={both}>
        {(data) => <Matrix roles={data.roles} permissions={data.permissions} />}
      </QueryView>
    </>
  );
}

function Matrix({ roles, permissions }: { roles: Role[]; permissions: PermissionInfo[] }) {
  const { t } = useTranslation('admin');
  const me = useMe().data ?? undefined;
  const canManage = allows(me, 'operators.manage');
  const language = currentLanguage();
  const client = useQueryClient();
  const { message } = App.useApp();
  const notifyError = useNotifyError();
  const [drafts, setDrafts] = useState<Drafts>({});
  const [creating, setCreating] = useState(false);

  const save = useMutation({
    mutationFn: ({ code, permissions: granted }: { code: string; permissions: string[] }) =>
      api.patch<Role>(`/roles/${code}`, { permissions: granted }),
    onSuccess: async (role) => {
      setDrafts(({ [role.code]: _saved, ...rest }) => rest);
      void message.success(t('roles.saved', { role: role.name[language] }));
      await client.invalidateQueries({ queryKey: ['roles'] });
      // The operator's own permissions may have changed.
      await client.invalidateQueries({ queryKey: ['auth', 'me'] });
    },
    onError: notifyError,
  });

  const columns = useMemo<ColumnsType<PermissionInfo>>(
    () => [
      {
        title: t('roles.permission'),
        key: 'permission',
        fixed: 'left',
        width: 280,
        render: (_, permission) => (
          <div>
            <div>{permission.description[language]}</div>
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {permission.name}
            </Typography.Text>
          </div>
        ),
      },
      ...roles.map((role) => {
        const granted = new Set(drafts[role.code] ?? role.permissions);
        const dirty = draftChanged(role, drafts[role.code]);
        return {
          key: role.code,
          width: 132,
          align: 'center' as const,
          title: (
            <Space orientation="vertical" size={4} align="center" data-testid={`role-${role.code}`}>
              <span>{role.name[language]}</span>
              <Typography.Text type="secondary" style={{ fontSize: 12, fontWeight: 400 }}>
                {t('roles.operatorCount', { count: role.operators })}
              </Typography.Text>
              {canManage ? (
                <Button
                  size="small"
                  type={dirty ? 'primary' : 'default'}
                  disabled={!dirty}
                  loading={save.isPending && save.variables?.code === role.code}
                  onClick={() => save.mutate({ code: role.code, permissions: [...granted].sort() })}
                  data-testid={`save-${role.code}`}
                >
                  {t('roles.save')}
                </Button>
              ) : null}
              {dirty ? <Tag color="orange">{t('roles.unsaved')}</Tag> : null}
            </Space>
          ),
          render: (_: unknown, permission: PermissionInfo) => (
            <Checkbox
              checked={granted.has(permission.name)}
              disabled={!canManage}
              aria-label={t('roles.grant', {
                role: role.name[language],
                permission: permission.description[language],
              })}
              data-testid={`grant-${role.code}-${permission.name}`}
              onChange={(event) =>
                setDrafts((before) => toggled(before, role, permission.name, event.target.checked))
              }
            />
          ),
        };
      }),
    ],
    [roles, drafts, canManage, language, save, t],
  );

  const dirtyCount = roles.filter((role) => draftChanged(role, drafts[role.code])).length;

  return (
    <>
      <Space style={{ width: '100%', justifyContent: 'space-between', marginBottom: 12 }} wrap>
        <Typography.Text type="secondary">
          {canManage ? t('roles.intro') : t('roles.readOnly')}
        </Typography.Text>
        <Space>
          {dirtyCount > 0 ? (
            <Button onClick={() => setDrafts({})}>{t('roles.discard', { count: dirtyCount })}</Button>
          ) : null}
          {canManage ? (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)}>
              {t('roles.create')}
            </Button>
          ) : null}
        </Space>
      </Space>
      {roles.length === 0 ? <Alert type="info" title={t('roles.none')} /> : null}
      <Table<PermissionInfo>
        rowKey="name"
        size="small"
        bordered
        sticky
        pagination={false}
        dataSource={permissions}
        columns={columns}
        scroll={{ x: 280 + roles.length * 132 }}
        data-testid="roles-matrix"
      />
      {creating ? <RoleModal roles={roles} onClose={() => setCreating(false)} /> : null}
    </>
  );
}
