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
import type { ReissuedTickets, SigningKey } from '../../../api/types';
import { applyFieldErrors, ErrorAlert, QueryView } from '../../../components/feedback';
import { formatDateTime } from '../../../format/time';
import { useVenueZone } from '../shared/venue-zone';

type Change = { kind: 'rotate' } | { kind: 'retire' | 'reissue'; key: SigningKey };

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
              { title: t('keys.liveTickets'), dataIndex: 'liveTickets', width: 110, align: 'right' },
              {
                title: t('form.actions'),
                width: 180,
                render: (_, key) => (
                  <Space size="small">
                    {!key.active && key.liveTickets > 0 ? (
                      <Button
                        size="small"
                        onClick={() => setChange({ kind: 'reissue', key })}
                        data-testid={`reissue-${key.keyId}`}
                      >
                        {t('keys.reissue')}
                      </Button>
                    ) : null}
                    {!key.active && !key.retired ? (
                      <Button
                        danger
                        size="small"
                        onClick={() => setChange({ kind: 'retire', key })}
                        data-testid={`retire-${key.keyId}`}
                      >
                        {t('keys.retire')}
                      </Button>
                    ) : null}
                  </Space>
                ),
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
    mutationFn: async (reason: string): Promise<string> => {
      if (change.kind === 'rotate') {
        const key = await api.post<SigningKey>('/credential-keys/rotate', { reason });
        return t('keys.rotated', { id: key.keyId });
      }
      if (change.kind === 'retire') {
        const key = await api.post<SigningKey>(`/credential-keys/${change.key.keyId}/retire`, { reason });
        return t('keys.retiredOk', { id: key.keyId });
      }
      const done = await api.post<ReissuedTickets>(`/credential-keys/${change.key.keyId}/reissue-tickets`, {
        reason,
      });
      return t('keys.reissued', { count: done.reissued });
    },
    onSuccess: async (text) => {
      void message.success(text);
      await client.invalidateQueries({ queryKey: ['credential-keys'] });
      onClose();
    },
    onError: (error) => applyFieldErrors(form, error),
  });
  const retiring = change.kind === 'retire';
  const title =
    change.kind === 'rotate'
      ? t('keys.rotateTitle')
      : t(retiring ? 'keys.retireTitle' : 'keys.reissueTitle', { id: change.key.keyId });
  const help =
    change.kind === 'rotate'
      ? t('keys.rotateHelp')
      : retiring
        ? change.key.liveTickets > 0
          ? t('keys.stranded', { count: change.key.liveTickets })
          : t('keys.retireWarning')
        : t('keys.reissueHelp', { count: change.key.liveTickets });
  return (
    <Modal
      open
      title={title}
      okText={t(`keys.${change.kind}`)}
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
        title={help}
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
