/**
 * A customer's member cards: bind one (optionally replacing a lost one) and report one lost (block). Both need
 * customers.manage; the API has no unbinding beyond these.
 */
import { CreditCardOutlined } from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { App, Button, Form, Input, Modal, Popconfirm, Select, Space, Table, Tag } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import type { Customer, MemberCard } from '../../api/types';
import { allows } from '../../auth/access';
import { useMe } from '../../auth/session';
import { applyFieldErrors, ErrorAlert, useNotifyError } from '../../components/feedback';
import { formatDateTime } from '../../format/time';
import { useSiteZone } from '../desk/sites';
import { customerKey } from './shared';

const STATUS_COLORS: Record<MemberCard['status'], string> = {
  active: 'green',
  blocked: 'red',
  replaced: 'default',
};

export function CardsPanel({ customer }: { customer: Customer }) {
  const { t } = useTranslation('customers');
  const zone = useSiteZone(customer.siteId);
  const canManage = allows(useMe().data ?? undefined, 'customers.manage');
  const [binding, setBinding] = useState(false);
  const client = useQueryClient();
  const { message } = App.useApp();
  const notify = useNotifyError();
  const block = useMutation({
    mutationFn: (card: MemberCard) =>
      api.post<Customer>(
        `/customers/${encodeURIComponent(customer.id)}/cards/${encodeURIComponent(card.id)}/block`,
      ),
    onSuccess: async (updated, card) => {
      client.setQueryData(customerKey.one(customer.id), updated);
      void message.success(t('cards.blocked', { uid: card.cardUid }));
      await client.invalidateQueries({ queryKey: customerKey.all });
    },
    onError: notify,
  });
  return (
    <>
      {canManage ? (
        <Button
          icon={<CreditCardOutlined />}
          onClick={() => setBinding(true)}
          style={{ marginBottom: 12 }}
          data-testid="bind-card"
        >
          {t('cards.bind')}
        </Button>
      ) : null}
      <Table<MemberCard>
        rowKey="id"
        size="small"
        pagination={false}
        dataSource={customer.cards}
        locale={{ emptyText: t('cards.empty') }}
        data-testid="customer-cards"
        style={{ maxWidth: 860 }}
        columns={[
          { title: t('cards.uid'), dataIndex: 'cardUid', width: 200 },
          {
            title: t('cards.status'),
            key: 'status',
            width: 110,
            render: (_, card) => (
              <Tag color={STATUS_COLORS[card.status]}>{t(`cardStatus.${card.status}`)}</Tag>
            ),
          },
          {
            title: t('cards.since'),
            key: 'since',
            width: 180,
            render: (_, card) => formatDateTime(card.createdAt, zone),
          },
          {
            title: t('cards.ended'),
            key: 'ended',
            width: 180,
            render: (_, card) => (card.endedAt === null ? '—' : formatDateTime(card.endedAt, zone)),
          },
          ...(canManage
            ? [
                {
                  key: 'actions',
                  width: 110,
                  render: (_: unknown, card: MemberCard) =>
                    card.status === 'active' ? (
                      <Popconfirm
                        title={t('cards.blockConfirm', { uid: card.cardUid })}
                        onConfirm={() => block.mutate(card)}
                      >
                        <Button size="small" danger>
                          {t('cards.block')}
                        </Button>
                      </Popconfirm>
                    ) : null,
                },
              ]
            : []),
        ]}
      />
      {binding ? <BindCardModal customer={customer} onClose={() => setBinding(false)} /> : null}
    </>
  );
}

function BindCardModal({ customer, onClose }: { customer: Customer; onClose: () => void }) {
  const { t } = useTranslation('customers');
  const { t: tc } = useTranslation();
  const [form] = Form.useForm<{ cardUid: string; replaces?: string }>();
  const client = useQueryClient();
  const { message } = App.useApp();
  const bind = useMutation({
    mutationFn: (values: { cardUid: string; replaces?: string }) =>
      api.post<Customer>(`/customers/${encodeURIComponent(customer.id)}/cards`, {
        cardUid: values.cardUid.trim(),
        ...(values.replaces ? { replaces: values.replaces } : {}),
      }),
    onSuccess: async (updated, values) => {
      client.setQueryData(customerKey.one(customer.id), updated);
      void message.success(t('cards.bound', { uid: values.cardUid.trim() }));
      await client.invalidateQueries({ queryKey: customerKey.all });
      onClose();
    },
    onError: (error) => applyFieldErrors(form, error),
  });
  const active = customer.cards.filter((card) => card.status === 'active');
  return (
    <Modal
      open
      title={t('cards.bindTitle', { name: customer.name })}
      okText={t('cards.bind')}
      cancelText={tc('actions.cancel')}
      confirmLoading={bind.isPending}
      onOk={() => form.submit()}
      onCancel={onClose}
      destroyOnHidden
    >
      <Form
        form={form}
        layout="vertical"
        onFinish={(values) => bind.mutate(values)}
        initialValues={{ cardUid: '' }}
      >
        <Form.Item
          name="cardUid"
          label={t('cards.uid')}
          rules={[{ required: true, whitespace: true, message: t('rule.required') }]}
        >
          <Input autoFocus maxLength={64} style={{ width: 280 }} />
        </Form.Item>
        {active.length > 0 ? (
          <Form.Item name="replaces" label={t('cards.replaces')}>
            <Select
              allowClear
              style={{ width: 280 }}
              options={active.map((card) => ({ value: card.id, label: card.cardUid }))}
            />
          </Form.Item>
        ) : null}
        <Space>
          <ErrorAlert error={bind.error} />
        </Space>
      </Form>
    </Modal>
  );
}
