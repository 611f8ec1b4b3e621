/**
 * A scanned code at the window (not a stub in the cashier's hands): what it is, from GET /api/v1/lookup — the
 * credential check (a forged QR is named as such) and each ticket it leads to with its status, validity, entries
 * and whether it would pass now.
 */
import { useQuery } from '@tanstack/react-query';
import { Alert, Descriptions, Drawer, Space, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import type { LookupResult } from '../../api/types';
import { EmptyState, QueryView } from '../../components/feedback';
import { formatDateTime } from '../../format/time';
import { nameIn } from './names';

const STATUS_COLORS: Record<string, string> = {
  active: 'green',
  not_activated: 'default',
  used: 'default',
  refunded: 'orange',
  revoked: 'red',
  blacklisted: 'red',
};

export function LookupDrawer({
  code,
  zone,
  onClose,
}: {
  code: string | null;
  zone: string;
  onClose: () => void;
}) {
  const { t } = useTranslation('window');
  const query = useQuery({
    queryKey: ['lookup', 'one', code],
    queryFn: () => api.get<LookupResult>('/lookup', { code: code! }),
    enabled: code !== null,
    staleTime: 0,
  });
  return (
    <Drawer
      open={code !== null}
      onClose={onClose}
      title={t('lookup.title')}
      size={520}
      destroyOnHidden
      data-testid="lookup-drawer"
    >
      {code !== null ? (
        <Space orientation="vertical" style={{ width: '100%' }}>
          <Typography.Text type="secondary">
            {t('lookup.code')}{' '}
            <Typography.Text code>{code.length > 48 ? `${code.slice(0, 48)}…` : code}</Typography.Text>
          </Typography.Text>
          <QueryView query={query}>
            {(result) => (
              <Space orientation="vertical" style={{ width: '100%' }} data-testid="lookup-result">
                <Alert
                  type={
                    result.credential.forged
                      ? 'error'
                      : result.credential.check === 'OK'
                        ? 'success'
                        : 'warning'
                  }
                  showIcon
                  title={
                    result.credential.forged
                      ? t('lookup.forged')
                      : t('lookup.check', {
                          input: t(`lookup.input.${result.credential.input}`),
                          check: result.credential.check,
                        })
                  }
                  description={result.credential.check === 'OK' ? undefined : result.credential.message}
                />
                {result.tickets.length === 0 ? (
                  <EmptyState>{t('lookup.none')}</EmptyState>
                ) : (
                  result.tickets.map(({ ticket, verdict, entriesLeft, sale }) => (
                    <Descriptions
                      key={ticket.ticketId}
                      bordered
                      size="small"
                      column={1}
                      title={
                        <Space>
                          {nameIn(ticket.typeName)}
                          <Tag color={STATUS_COLORS[ticket.status] ?? 'default'}>
                            {t(`lookup.status.${ticket.status}`)}
                          </Tag>
                          <Tag color={verdict.admit ? 'green' : 'red'} data-testid="lookup-verdict">
                            {verdict.admit ? t('lookup.admit') : t('lookup.deny', { reason: verdict.reason })}
                          </Tag>
                        </Space>
                      }
                      items={[
                        { key: 'id', label: t('lookup.ticketId'), children: String(ticket.ticketId) },
                        { key: 'visit', label: t('lookup.visitDate'), children: ticket.visitDate },
                        {
                          key: 'valid',
                          label: t('lookup.valid'),
                          children: `${formatDateTime(ticket.validFrom, zone)} – ${formatDateTime(ticket.validTo, zone)}`,
                        },
                        {
                          key: 'entries',
                          label: t('lookup.entries'),
                          children:
                            ticket.entriesTotal === null
                              ? t('lookup.unlimited', { used: ticket.entriesUsed })
                              : t('lookup.entriesLeft', {
                                  left: entriesLeft ?? 0,
                                  total: ticket.entriesTotal,
                                }),
                        },
                        {
                          key: 'holder',
                          label: t('lookup.holder'),
                          children: ticket.holder ? `${ticket.holder.name} ${ticket.holder.idMasked}` : '—',
                        },
                        {
                          key: 'sale',
                          label: t('lookup.sale'),
                          children: sale
                            ? `${sale.id.slice(0, 8).toUpperCase()} · ${formatDateTime(sale.createdAt, zone)}`
                            : '—',
                        },
                      ]}
                    />
                  ))
                )}
              </Space>
            )}
          </QueryView>
        </Space>
      ) : null}
    </Drawer>
  );
}
