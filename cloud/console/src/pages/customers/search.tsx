/**
 * 客户查询: by name prefix, or by a whole phone number, ID number or member card (the API finds those whole, as
 * they are stored hashed or normalised). The query lives in the address, so the profile's "back" returns to it.
 */
import { useInfiniteQuery } from '@tanstack/react-query';
import { Input, Select, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { api } from '../../api/client';
import type { Customer, CustomerPage } from '../../api/types';
import { EmptyState, ErrorAlert, QueryView } from '../../components/feedback';
import { MoreButton } from '../../components/more-button';
import { useSiteLabel } from '../desk/sites';
import { customerKey, KindTag } from './shared';

const BY = ['name', 'phone', 'idNumber', 'cardUid'] as const;
type By = (typeof BY)[number];
const PAGE = 50;

export function CustomerSearch() {
  const { t } = useTranslation('customers');
  const [params, setParams] = useSearchParams();
  const wantedBy = params.get('by') as By | null;
  const by: By = wantedBy && BY.includes(wantedBy) ? wantedBy : 'name';
  const q = params.get('q') ?? '';
  const [text, setText] = useState(q);
  const [chosenBy, setChosenBy] = useState<By>(by);
  const siteLabel = useSiteLabel();
  const list = useInfiniteQuery({
    queryKey: customerKey.search({ by, q }),
    queryFn: ({ pageParam, signal }) =>
      api.get<CustomerPage>('/customers', { [by]: q, limit: PAGE, offset: pageParam }, signal),
    initialPageParam: 0,
    getNextPageParam: (page, pages) => {
      const shown = pages.reduce((sum, p) => sum + p.customers.length, 0);
      return shown < page.total ? shown : undefined;
    },
    enabled: q !== '',
  });
  const rows = list.data?.pages.flatMap((page) => page.customers) ?? [];
  const total = list.data?.pages[0]?.total ?? 0;
  const search = (value: string) => {
    const trimmed = value.trim();
    setParams(trimmed ? { by: chosenBy, q: trimmed } : {}, { replace: true });
  };
  return (
    <>
      <Typography.Title level={3} style={{ marginTop: 0 }}>
        {t('title')}
      </Typography.Title>
      <Typography.Paragraph type="secondary">{t('intro')}</Typography.Paragraph>
      <Space.Compact style={{ marginBottom: 16, maxWidth: 620, width: '100%' }}>
        <Select
          aria-label={t('search.by')}
          value={chosenBy}
          onChange={setChosenBy}
          style={{ width: 130 }}
          options={BY.map((value) => ({ value, label: t(`search.${value}`) }))}
          data-testid="search-by"
        />
        <Input.Search
          aria-label={t(`search.${chosenBy}`)}
          placeholder={t(`search.placeholder.${chosenBy}`)}
          value={text}
          onChange={(event) => setText(event.target.value)}
          onSearch={search}
          enterButton={t('search.submit')}
          allowClear
          autoFocus
          data-testid="search-input"
        />
      </Space.Compact>
      {q === '' ? (
        <EmptyState>{t('search.prompt')}</EmptyState>
      ) : (
        <QueryView query={list}>
          {() => (
            <>
              <Table<Customer>
                rowKey="id"
                size="middle"
                dataSource={rows}
                pagination={false}
                loading={list.isFetching && !list.isFetchingNextPage}
                locale={{ emptyText: t('search.empty') }}
                data-testid="customers-table"
                scroll={{ x: 980 }}
                columns={[
                  {
                    title: t('field.name'),
                    key: 'name',
                    width: 160,
                    render: (_, customer) => (
                      <Link to={`/customers/${customer.id}`} data-testid="customer-link">
                        {customer.name}
                      </Link>
                    ),
                  },
                  {
                    title: t('field.kind'),
                    key: 'kind',
                    width: 90,
                    render: (_, customer) => <KindTag kind={customer.kind} />,
                  },
                  { title: t('field.phone'), dataIndex: 'phone', width: 140, render: (v) => v ?? '—' },
                  { title: t('field.id'), dataIndex: 'idMasked', width: 200, render: (v) => v ?? '—' },
                  {
                    title: t('field.cards'),
                    key: 'cards',
                    width: 170,
                    render: (_, customer) =>
                      customer.cards
                        .filter((card) => card.status === 'active')
                        .map((card) => card.cardUid)
                        .join(', ') || '—',
                  },
                  {
                    title: t('field.tags'),
                    key: 'tags',
                    render: (_, customer) => customer.tags.map((tag) => <Tag key={tag}>{tag}</Tag>),
                  },
                  {
                    title: t('field.site'),
                    key: 'site',
                    width: 140,
                    render: (_, customer) => siteLabel(customer.siteId),
                  },
                ]}
              />
              <ErrorAlert error={list.isFetchNextPageError ? list.error : null} />
              <Space style={{ marginTop: 12 }}>
                <MoreButton list={list} />
                {total > 0 ? (
                  <Typography.Text type="secondary">{t('search.total', { count: total })}</Typography.Text>
                ) : null}
              </Space>
            </>
          )}
        </QueryView>
      )}
    </>
  );
}
