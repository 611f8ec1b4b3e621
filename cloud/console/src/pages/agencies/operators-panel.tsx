/**
 * The operators who act for an agency (the `agency` role, one agency each): link and unlink with agencies.manage.
 * Names come from the operators list when the viewer may read it (operators.read); ids otherwise.
 */
import { LinkOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Form, Modal, Select, Table } from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import type { AgencyOperator, AgencyOperatorList, Operator } from '../../api/types';
import { allows } from '../../auth/access';
import { useMe } from '../../auth/session';
import { applyFieldErrors, ErrorAlert, QueryView, useNotifyError } from '../../components/feedback';
import { formatDateTime } from '../../format/time';
import { agencyKey } from './shared';

export function OperatorsPanel({
  agencyId,
  zone,
  canManage,
}: {
  agencyId: string;
  zone: string;
  canManage: boolean;
}) {
  const { t } = useTranslation('agencies');
  const me = useMe().data ?? undefined;
  const { modal, message } = App.useApp();
  const notifyError = useNotifyError();
  const client = useQueryClient();
  const base = `/agencies/${agencyId}`;
  const [linking, setLinking] = useState(false);
  const linked = useQuery({
    queryKey: [...agencyKey.of(base), 'operators'],
    queryFn: ({ signal }) => api.get<AgencyOperatorList>(`${base}/operators`, undefined, signal),
  });
  // The agency role's operators: few, so one page of them names the linked ones and fills the picker.
  const candidates = useQuery({
    queryKey: ['operators', 'list', { role: 'agency' }],
    queryFn: ({ signal }) =>
      api.get<{ items: Operator[]; total: number }>('/operators', { role: 'agency', limit: 200 }, signal),
    enabled: allows(me, 'operators.read'),
  });
  const byId = useMemo(
    () => new Map((candidates.data?.items ?? []).map((operator) => [operator.id, operator])),
    [candidates.data],
  );
  const nameOf = (id: string) => {
    const operator = byId.get(id);
    return operator
      ? t('operators.nameWithUsername', { name: operator.displayName, username: operator.username })
      : id;
  };
  const unlink = useMutation({
    mutationFn: (operatorId: string) => api.delete<void>(`${base}/operators/${operatorId}`),
    onSuccess: async (_, operatorId) => {
      void message.success(t('operators.unlinked', { name: nameOf(operatorId) }));
      await client.invalidateQueries({ queryKey: agencyKey.of(base) });
    },
    onError: notifyError,
  });
  return (
    <>
      {canManage ? (
        <Button icon={<LinkOutlined />} onClick={() => setLinking(true)} style={{ marginBottom: 12 }}>
          {t('operators.link')}
        </Button>
      ) : null}
      <QueryView query={linked}>
        {(data) => (
          <Table<AgencyOperator>
            rowKey="operatorId"
            size="middle"
            pagination={false}
            dataSource={data.operators}
            data-testid="agency-operators"
            locale={{ emptyText: t('operators.empty') }}
            columns={[
              { title: t('operators.operator'), key: 'name', render: (_, row) => nameOf(row.operatorId) },
              {
                title: t('operators.linkedAt'),
                key: 'at',
                width: 190,
                render: (_, row) => formatDateTime(row.linkedAt, zone),
              },
              ...(canManage
                ? [
                    {
                      title: '',
                      key: 'actions',
                      width: 120,
                      render: (_: unknown, row: AgencyOperator) => (
                        <Button
                          size="small"
                          danger
                          onClick={() =>
                            modal.confirm({
                              title: t('operators.unlinkConfirm', { name: nameOf(row.operatorId) }),
                              okButtonProps: { danger: true },
                              onOk: () => unlink.mutateAsync(row.operatorId),
                            })
                          }
                        >
                          {t('operators.unlink')}
                        </Button>
                      ),
                    },
                  ]
                : []),
            ]}
          />
        )}
      </QueryView>
      {linking ? (
        <LinkModal
          base={base}
          candidates={(candidates.data?.items ?? []).filter(
            (operator) => !linked.data?.operators.some((row) => row.operatorId === operator.id),
          )}
          loading={candidates.isPending}
          candidatesError={candidates.error}
          nameOf={nameOf}
          onClose={() => setLinking(false)}
        />
      ) : null}
    </>
  );
}

function LinkModal({
  base,
  candidates,
  loading,
  candidatesError,
  nameOf,
  onClose,
}: {
  base: string;
  candidates: readonly Operator[];
  loading: boolean;
  candidatesError: unknown;
  nameOf: (id: string) => string;
  onClose: () => void;
}) {
  const { t } = useTranslation('agencies');
  const { t: tc } = useTranslation();
  const [form] = Form.useForm<{ operatorId: string }>();
  const client = useQueryClient();
  const { message } = App.useApp();
  const link = useMutation({
    mutationFn: (operatorId: string) => api.put<AgencyOperator>(`${base}/operators/${operatorId}`, {}),
    onSuccess: async (row) => {
      void message.success(t('operators.linked', { name: nameOf(row.operatorId) }));
      await client.invalidateQueries({ queryKey: agencyKey.of(base) });
      onClose();
    },
    onError: (error) => applyFieldErrors(form, error),
  });
  return (
    <Modal
      open
      title={t('operators.linkTitle')}
      okText={t('operators.link')}
      cancelText={tc('actions.cancel')}
      confirmLoading={link.isPending}
      onOk={() => form.submit()}
      onCancel={onClose}
      destroyOnHidden
    >
      <Alert type="info" showIcon title={t('operators.linkHelp')} style={{ marginBottom: 16 }} />
      <Form
        form={form}
        layout="vertical"
        initialValues={{ operatorId: undefined }}
        onFinish={(values) => link.mutate(values.operatorId)}
      >
        <Form.Item
          name="operatorId"
          label={t('operators.pick')}
          rules={[{ required: true, message: t('rule.required') }]}
          extra={!loading && candidates.length === 0 ? t('operators.noCandidates') : undefined}
        >
          <Select
            loading={loading}
            showSearch={{ optionFilterProp: 'label' }}
            options={candidates.map((operator) => ({ value: operator.id, label: nameOf(operator.id) }))}
          />
        </Form.Item>
        <ErrorAlert error={candidatesError} />
        <ErrorAlert error={link.error} />
      </Form>
    </Modal>
  );
}
