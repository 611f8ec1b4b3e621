/**
 * A customer's points: the balance and the ledger, newest first, a page at a time from the server; an adjustment
 * by hand with its reason (customers.manage, audited by the API), like an agency's manual adjustment.
 */
import { SlidersOutlined } from '@ant-design/icons';
import { useInfiniteQuery, useMutation, useQueryClient } from '@tanstack/react-query';
import { App, Button, Form, Input, InputNumber, Modal, Space, Statistic, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import type { Customer, PointsAccount, PointsLedgerEntry } from '../../api/types';
import { allows } from '../../auth/access';
import { useMe } from '../../auth/session';
import { applyFieldErrors, ErrorAlert, QueryView } from '../../components/feedback';
import { MoreButton } from '../../components/more-button';
import { formatFen } from '../../format/money';
import { businessDay, formatDateTime } from '../../format/time';
import { shortId } from '../desk/labels';
import { useSiteZone } from '../desk/sites';
import { customerKey } from './shared';

const PAGE = 50;
/** The adjustment's reason, as the API's adjustmentSchema bounds it. */
const REASON = { min: 2, max: 200 } as const;

export function PointsPanel({ customer }: { customer: Customer }) {
  const { t } = useTranslation('customers');
  const zone = useSiteZone(customer.siteId);
  const canManage = allows(useMe().data ?? undefined, 'customers.manage');
  const [adjusting, setAdjusting] = useState(false);
  const account = useInfiniteQuery({
    queryKey: customerKey.points(customer.id),
    queryFn: ({ pageParam, signal }) =>
      api.get<PointsAccount>(
        `/points/accounts/${encodeURIComponent(customer.id)}`,
        { limit: PAGE, offset: pageParam },
        signal,
      ),
    initialPageParam: 0,
    getNextPageParam: (page, pages) => {
      const shown = pages.reduce((sum, p) => sum + p.entries.length, 0);
      return shown < page.total ? shown : undefined;
    },
  });
  const entries = account.data?.pages.flatMap((page) => page.entries) ?? [];
  const balance = account.data?.pages[0]?.balance;
  return (
    <QueryView query={account}>
      {() => (
        <>
          <Space size={40} align="end" style={{ marginBottom: 16 }} wrap>
            <Statistic
              title={t('points.balance')}
              valueRender={() => <span data-testid="points-balance">{balance}</span>}
              styles={{ content: { color: (balance ?? 0) < 0 ? '#cf1322' : undefined } }}
            />
            {canManage ? (
              <Button
                icon={<SlidersOutlined />}
                onClick={() => setAdjusting(true)}
                data-testid="adjust-points"
              >
                {t('points.adjust')}
              </Button>
            ) : null}
          </Space>
          <Table<PointsLedgerEntry>
            rowKey="id"
            size="small"
            pagination={false}
            dataSource={entries}
            loading={account.isFetching && !account.isFetchingNextPage}
            locale={{ emptyText: t('points.empty') }}
            data-testid="points-ledger"
            scroll={{ x: 900 }}
            columns={[
              {
                title: t('points.at'),
                key: 'at',
                width: 180,
                render: (_, e) => formatDateTime(e.createdAt, zone),
              },
              {
                title: t('points.kind'),
                key: 'kind',
                width: 130,
                render: (_, e) => <Tag>{t(`ledgerKind.${e.kind}`)}</Tag>,
              },
              {
                title: t('points.points'),
                key: 'points',
                width: 100,
                align: 'right',
                render: (_, e) => (
                  <Typography.Text type={e.points < 0 ? 'danger' : 'success'}>
                    {e.points > 0 ? `+${e.points}` : e.points}
                  </Typography.Text>
                ),
              },
              { title: t('points.balanceAfter'), dataIndex: 'balanceAfter', width: 100, align: 'right' },
              {
                title: t('points.reason'),
                key: 'reason',
                ellipsis: true,
                render: (_, e) =>
                  [
                    e.reason,
                    e.saleId ? t('points.sale', { id: shortId(e.saleId) }) : null,
                    e.fen !== null ? t('points.paid', { amount: formatFen(e.fen) }) : null,
                    e.expiresAt !== null
                      ? t('points.expires', { date: businessDay(e.expiresAt, zone) })
                      : null,
                  ]
                    .filter(Boolean)
                    .join(' · ') || '—',
              },
              {
                title: t('points.operator'),
                key: 'operator',
                width: 120,
                render: (_, e) => e.operator?.username ?? '—',
              },
            ]}
          />
          <ErrorAlert error={account.isFetchNextPageError ? account.error : null} />
          <MoreButton list={account} style={{ marginTop: 12 }} />
          {adjusting ? <AdjustModal customer={customer} onClose={() => setAdjusting(false)} /> : null}
        </>
      )}
    </QueryView>
  );
}

interface AdjustValues {
  points: number | null;
  reason: string;
}

function AdjustModal({ customer, onClose }: { customer: Customer; onClose: () => void }) {
  const { t } = useTranslation('customers');
  const { t: tc } = useTranslation();
  const [form] = Form.useForm<AdjustValues>();
  const client = useQueryClient();
  const { message } = App.useApp();
  const adjust = useMutation({
    mutationFn: (values: AdjustValues) =>
      api.post<PointsAccount>(`/points/accounts/${encodeURIComponent(customer.id)}/adjustments`, {
        points: values.points,
        reason: values.reason.trim(),
      }),
    onSuccess: async (updated, values) => {
      void message.success(
        t('points.adjusted', {
          points: (values.points ?? 0) > 0 ? `+${values.points}` : String(values.points),
          balance: updated.balance,
        }),
      );
      await client.invalidateQueries({ queryKey: customerKey.points(customer.id) });
      onClose();
    },
    onError: (error) => applyFieldErrors(form, error),
  });
  return (
    <Modal
      open
      title={t('points.adjustTitle', { name: customer.name })}
      okText={t('points.adjust')}
      cancelText={tc('actions.cancel')}
      confirmLoading={adjust.isPending}
      onOk={() => form.submit()}
      onCancel={onClose}
      destroyOnHidden
    >
      <Form<AdjustValues>
        form={form}
        layout="vertical"
        initialValues={{ points: null, reason: '' }}
        onFinish={(values) => adjust.mutate(values)}
        data-testid="adjust-points-form"
      >
        <Form.Item
          name="points"
          label={t('points.amount')}
          rules={[
            { required: true, message: t('rule.required') },
            {
              validator: (_, value: number | null) =>
                value === null || value === undefined || (Number.isInteger(value) && value !== 0)
                  ? Promise.resolve()
                  : Promise.reject(new Error(t('rule.nonZero'))),
            },
          ]}
        >
          <InputNumber precision={0} min={-10_000_000} max={10_000_000} autoFocus style={{ width: 200 }} />
        </Form.Item>
        <Form.Item
          name="reason"
          label={t('points.why')}
          extra={t('points.whyHelp')}
          rules={[
            { required: true, whitespace: true, message: t('rule.required') },
            { min: REASON.min, message: t('rule.min', { min: REASON.min }) },
          ]}
        >
          <Input.TextArea rows={2} maxLength={REASON.max} showCount />
        </Form.Item>
        <ErrorAlert error={adjust.error} />
      </Form>
    </Modal>
  );
}
