/**
 * Finding the customer to attach to the sale: one field for a phone number, an ID number or a member card — typed,
 * or read by a card reader that types the UID (the field is left to the reader, not taken as a scan) — and Enter.
 * One customer found is attached at once; several are listed to choose from (Tab, Enter).
 */
import { useQueries } from '@tanstack/react-query';
import { Alert, Button, Card, Drawer, Empty, Input, Space, Typography } from 'antd';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import type { Customer, CustomerPage } from '../../api/types';
import { ErrorAlert } from '../../components/feedback';
import { CustomerFacts } from './customer-bar';
import { customerSearches, mergeFound, searchQuery } from './customer-search';
import { focusSoon } from './focus';

export const CUSTOMER_SEARCH_ID = 'customer-search';

export function CustomerDrawer({
  open,
  siteId,
  onAttach,
  onClose,
}: {
  open: boolean;
  siteId: string;
  onAttach: (customer: Customer) => void;
  onClose: () => void;
}) {
  const { t } = useTranslation('window');
  const [text, setText] = useState('');
  const [asked, setAsked] = useState<string | null>(null);
  const searches = asked === null ? [] : customerSearches(asked);
  const queries = useQueries({
    queries: searches.map((search) => ({
      queryKey: ['customers', 'search', siteId, search],
      queryFn: () => api.get<CustomerPage>('/customers', searchQuery(search, siteId)),
      staleTime: 0,
    })),
  });
  const pending = queries.some((query) => query.isPending);
  const error = queries.find((query) => query.error)?.error;
  const found = pending ? [] : mergeFound(queries.map((query) => query.data?.customers ?? []));

  const ask = (value: string) => {
    const trimmed = value.trim();
    if (trimmed === '') return;
    // Enter again on the same answer with one customer attaches it.
    if (trimmed === asked && !pending && found.length === 1) {
      onAttach(found[0]!);
      return;
    }
    setAsked(trimmed);
  };

  // One customer found for what was asked: attached at once, as the cashier expects from a card read.
  const single = !pending && !error && found.length === 1 ? found[0]! : null;
  const attach = useRef(onAttach);
  attach.current = onAttach;
  // biome-ignore lint/correctness/useExhaustiveDependencies: once per answer to what was asked
  useEffect(() => {
    if (single) attach.current(single);
  }, [single?.id, asked]);

  return (
    <Drawer
      open={open}
      onClose={onClose}
      title={t('customer.drawerTitle')}
      size={480}
      destroyOnHidden
      afterOpenChange={(visible) => {
        if (visible) focusSoon(CUSTOMER_SEARCH_ID, true);
      }}
      data-testid="customer-drawer"
    >
      <Space orientation="vertical" style={{ width: '100%' }} size={12}>
        {/* A card reader types here: not a scan for the till. */}
        <div data-scanner="off">
          <label htmlFor={CUSTOMER_SEARCH_ID} style={{ display: 'block', marginBottom: 4 }}>
            {t('customer.search')}
          </label>
          <Space.Compact style={{ width: '100%' }}>
            <Input
              id={CUSTOMER_SEARCH_ID}
              size="large"
              autoComplete="off"
              value={text}
              onChange={(event) => setText(event.target.value)}
              onPressEnter={() => ask(text)}
              data-testid="customer-search"
            />
            <Button size="large" type="primary" onClick={() => ask(text)} loading={pending}>
              {t('customer.searchButton')}
            </Button>
          </Space.Compact>
          <Typography.Text type="secondary">{t('customer.searchHelp')}</Typography.Text>
        </div>
        {asked !== null && searches.length === 0 ? (
          <Alert type="warning" showIcon title={t('customer.notSearchable')} />
        ) : null}
        <ErrorAlert error={error} />
        {asked !== null && searches.length > 0 && !pending && !error ? (
          found.length === 0 ? (
            <Empty description={<span data-testid="customer-none">{t('customer.none')}</span>} />
          ) : (
            <Space orientation="vertical" style={{ width: '100%' }} data-testid="customer-results">
              {found.map((customer) => (
                <Card
                  key={customer.id}
                  size="small"
                  title={
                    <Space>
                      {customer.name}
                      <Typography.Text type="secondary">{t(`customer.${customer.kind}`)}</Typography.Text>
                    </Space>
                  }
                  extra={
                    <Button type="primary" onClick={() => onAttach(customer)}>
                      {t('customer.choose')}
                    </Button>
                  }
                >
                  <CustomerFacts customer={customer} />
                </Card>
              ))}
            </Space>
          )
        ) : null}
      </Space>
    </Drawer>
  );
}
