/**
 * 签名密钥: the QR signing keys (public facts only) — rotate to a new signing key, retire an old one. Both ask for a
 * reason (it goes into the operation log); retiring warns that gates will refuse every ticket the key signed.
 */
import { ExclamationCircleOutlined, SyncOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Form, Input, Modal, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../../api/client';
import type { SigningKey } from '../../../api/types';
import { applyFieldErrors, ErrorAlert, QueryView } from '../../../components/feedback';
import { formatDateTime } from '../../../format/time';
import { useVenueZone } from '../shared/venue-zone';

type Change = { kind: 'rotate' } | { kind: 'retire'; key: SigningKey };

export default function KeysPage() {
  const { t } = useTranslation('admin');
  const zone = useVenueZone();
  const [change, setChange] = useState<Change>();
  const keys = useQuery({
    queryKey: ['credential-keys', 'list'],
    queryFn: () => api.get<SigningKey[]>('/credential-keys'),
  });
  return (
    <>
      <Space style={{ width: '100%', justifyContent: 'space-between', marginBottom: 8 }} wrap>
        <Typography.Title level={3} style={{ margin: 0 }}>
          {t('keys.title')}
        </Typography.Title>
        <Button type="primary" icon={<SyncOutlined />} onClick={() => setChange({ kind: 'rotate' })}>
          {t('keys.rotate')}
        </Button>
      </Space>
      <Typography.Paragraph type="secondary">{t('keys.intro')}</Typography.Paragraph>
      <QueryView query={keys}>
        {(data) => (
          <Table<SigningKey>
            rowKey="keyId"
            dataSource={[...data].sort((a, b) => b.createdAt - a.createdAt)}
            pagination={false}
            data-testid="keys-table"
            locale={{ emptyText: t('keys.empty') }}
            columns={[
              { title: t('keys.keyId'), dataIndex: 'keyId', width: 100 },
              {
                title: t('keys.publicKey'),
                render: (_, key) => (
                  <Typography.Text code copyable={{ text: key.publicKey }} style={{ fontSize: 12 }}>
                    {key.publicKey}
                  </Typography.Text>
                ),
              },
              {
                title: t('keys.createdAt'),
                width: 180,
                render: (_, key) => formatDateTime(key.createdAt, zone),
              },
              {
                title: t('form.status'),
                width: 220,
                render: (_, key) =>
                  key.retired ? (
                    <Tag>
                      {t('keys.retired', {
                        time: key.retiredAt === null ? '' : formatDateTime(key.retiredAt, zone),
                      })}
                    </Tag>
                  ) : key.active ? (
                    <Tag color="green">{t('keys.signing')}</Tag>
                  ) : (
                    <Tag color="blue">{t('keys.verifying')}</Tag>
                  ),
              },
              {
                title: t('form.actions'),
                width: 110,
                render: (_, key) =>
                  !key.active && !key.retired ? (
                    <Button
                      danger
                      size="small"
                      onClick={() => setChange({ kind: 'retire', key })}
                      data-testid={`retire-${key.keyId}`}
                    >
                      {t('keys.retire')}
                    </Button>
                  ) : null,
              },
            ]}
          />
        )}
      </QueryView>
      {change ? <ChangeModal change={change} onClose={() => setChange(undefined)} /> : null}
    </>
  );
}

function ChangeModal({ change, onClose }: { change: Change; onClose: () => void }) {
  const { t } = useTranslation('admin');
  const [form] = Form.useForm<{ reason: string }>();
  const client = useQueryClient();
  const { message } = App.useApp();
  const apply = useMutation({
    mutationFn: (reason: string) =>
      change.kind === 'rotate'
        ? api.post<SigningKey>('/credential-keys/rotate', { reason })
        : api.post<SigningKey>(`/credential-keys/${change.key.keyId}/retire`, { reason }),
    onSuccess: async (key) => {
      void message.success(
        t(change.kind === 'rotate' ? 'keys.rotated' : 'keys.retiredOk', { id: key.keyId }),
      );
      await client.invalidateQueries({ queryKey: ['credential-keys'] });
      onClose();
    },
    onError: (error) => applyFieldErrors(form, error),
  });
  const retiring = change.kind === 'retire';
  return (
    <Modal
      open
      title={retiring ? t('keys.retireTitle', { id: change.key.keyId }) : t('keys.rotateTitle')}
      okText={retiring ? t('keys.retire') : t('keys.rotate')}
      okButtonProps={{ danger: retiring }}
      onOk={() => form.submit()}
      confirmLoading={apply.isPending}
      onCancel={onClose}
      destroyOnHidden
    >
      <Alert
        type={retiring ? 'error' : 'info'}
        icon={retiring ? <ExclamationCircleOutlined /> : undefined}
        showIcon
        title={retiring ? t('keys.retireWarning') : t('keys.rotateHelp')}
        style={{ marginBottom: 16 }}
      />
      <Form form={form} layout="vertical" onFinish={(values) => apply.mutate(values.reason.trim())}>
        <Form.Item
          label={t('keys.reason')}
          name="reason"
          extra={t('keys.reasonHelp')}
          rules={[
            { required: true, whitespace: true, message: t('form.required') },
            { max: 200, message: t('form.max', { max: 200 }) },
          ]}
        >
          <Input.TextArea rows={2} maxLength={200} showCount />
        </Form.Item>
        <ErrorAlert error={apply.error} />
      </Form>
    </Modal>
  );
}
