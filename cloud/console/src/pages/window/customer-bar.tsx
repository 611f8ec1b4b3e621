/**
 * The customer of the sale at the till (客户): nobody yet — a button (F3) to find one — or the attached customer
 * with what the cashier needs at a glance: name, member or not, tags, member card and points balance; removable
 * until payment opens. The finding itself is in the customer drawer, loaded apart (customer-drawer.tsx).
 */
import { CloseOutlined, UserOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Button, Card, Space, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { Customer } from '../../api/types';
import { activeCard } from './customer-search';
import { pointsAccountQuery } from './points-queries';

export function CustomerBar({
  customer,
  locked,
  onFind,
  onDetach,
}: {
  customer: Customer | null;
  locked: boolean;
  onFind: () => void;
  onDetach: () => void;
}) {
  const { t } = useTranslation('window');
  if (!customer) {
    return (
      <Card size="small" data-testid="customer-bar">
        <Space style={{ width: '100%', justifyContent: 'space-between' }}>
          <Typography.Text type="secondary">{t('customer.hint')}</Typography.Text>
          <Button icon={<UserOutlined />} onClick={onFind} disabled={locked} data-testid="customer-attach">
            {t('customer.attach')} <Typography.Text keyboard>F3</Typography.Text>
          </Button>
        </Space>
      </Card>
    );
  }
  return (
    <Card
      size="small"
      data-testid="customer-bar"
      title={
        <Space size={8}>
          <UserOutlined />
          <span data-testid="customer-name">{customer.name}</span>
          <Tag color={customer.kind === 'member' ? 'gold' : 'default'} style={{ margin: 0 }}>
            {t(`customer.${customer.kind}`)}
          </Tag>
        </Space>
      }
      extra={
        <Space size={4}>
          <Button size="small" onClick={onFind} disabled={locked}>
            {t('customer.change')} <Typography.Text keyboard>F3</Typography.Text>
          </Button>
          <Button
            size="small"
            icon={<CloseOutlined />}
            onClick={onDetach}
            disabled={locked}
            aria-label={t('customer.detach')}
            title={t('customer.detach')}
            data-testid="customer-detach"
          />
        </Space>
      }
    >
      <CustomerFacts customer={customer} />
    </Card>
  );
}

/** Phone, member card, tags and the points balance of a customer (the bar and the drawer's results). */
export function CustomerFacts({ customer }: { customer: Customer }) {
  const { t } = useTranslation('window');
  const card = activeCard(customer);
  return (
    <Space size={[8, 4]} wrap>
      {customer.phone ? <Typography.Text>{customer.phone}</Typography.Text> : null}
      {customer.idMasked ? <Typography.Text type="secondary">{customer.idMasked}</Typography.Text> : null}
      {card ? <Typography.Text type="secondary">{t('customer.card', { uid: card })}</Typography.Text> : null}
      {customer.tags.map((tag) => (
        <Tag key={tag} color="blue" style={{ margin: 0 }}>
          {tag}
        </Tag>
      ))}
      <PointsBalance customerId={customer.id} />
    </Space>
  );
}

function PointsBalance({ customerId }: { customerId: string }) {
  const { t } = useTranslation('window');
  const account = useQuery(pointsAccountQuery(customerId));
  if (!account.data) return <Typography.Text type="secondary">{t('customer.pointsLoading')}</Typography.Text>;
  return (
    <Tag color="green" style={{ margin: 0, fontSize: 14 }} data-testid={`points-balance-${customerId}`}>
      {t('customer.points', { points: account.data.balance.toLocaleString() })}
    </Tag>
  );
}
