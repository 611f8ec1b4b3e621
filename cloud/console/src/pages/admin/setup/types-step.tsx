/**
 * Step 4: ticket types from templates — a checkbox list of GET /ticket-types/templates with an editable price each;
 * the chosen ones are created with POST /ticket-types. Types the site already has (same code) are shown as created.
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Checkbox, Input, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../../api/client';
import { asApiError } from '../../../api/errors';
import type { TicketType } from '../../../api/types';
import { ErrorAlert, QueryView } from '../../../components/feedback';
import { fenToYuanText, formatFen, parseYuan } from '../../../format/money';
import { currentLanguage } from '../../../i18n';
import { type TicketTypeTemplate, templateBodies, templateCode, templatePriceFen } from './templates';

function useTicketTypes() {
  return useQuery({
    queryKey: ['ticket-types', 'list'],
    queryFn: () => api.get<TicketType[]>('/ticket-types'),
  });
}

function useTemplates() {
  return useQuery({
    queryKey: ['ticket-type-templates', 'list'],
    queryFn: () => api.get<TicketTypeTemplate[]>('/ticket-types/templates'),
    staleTime: Number.POSITIVE_INFINITY,
  });
}

export function TypesStep({ siteId }: { siteId: string }) {
  const { t } = useTranslation('admin');
  const templates = useTemplates();
  const types = useTicketTypes();
  const siteTypes = (types.data ?? []).filter((type) => type.siteId === siteId);
  return (
    <>
      {templates.isError ? (
        <Alert
          type="info"
          showIcon
          title={t('setup.templatesMissing', { code: asApiError(templates.error).code })}
          style={{ marginBottom: 16 }}
          data-testid="templates-missing"
        />
      ) : (
        <QueryView query={templates} empty={(data) => data.length === 0}>
          {(data) => (
            <TemplateChooser
              siteId={siteId}
              templates={data}
              existingCodes={new Set(siteTypes.map((type) => type.code))}
              usedTypeIds={(types.data ?? []).map((type) => type.typeId)}
              typesReady={types.isSuccess}
            />
          )}
        </QueryView>
      )}
      <Typography.Title level={5} style={{ marginTop: 24 }}>
        {t('setup.siteTypes')}
      </Typography.Title>
      <Table<TicketType>
        size="small"
        rowKey="typeId"
        loading={types.isPending}
        dataSource={siteTypes}
        pagination={false}
        data-testid="setup-types"
        locale={{ emptyText: t('setup.noTypes') }}
        columns={[
          { title: t('types.code'), dataIndex: 'code', width: 140 },
          {
            title: t('form.name'),
            render: (_, type) => (currentLanguage() === 'en' ? type.name.en : type.name.zh),
          },
          {
            title: t('types.price'),
            render: (_, type) => {
              const prices = Object.values(type.prices).filter((fen): fen is number => fen !== undefined);
              return prices.length ? formatFen(Math.min(...prices)) : '—';
            },
          },
        ]}
      />
      <ErrorAlert error={types.error} />
    </>
  );
}

function TemplateChooser({
  siteId,
  templates,
  existingCodes,
  usedTypeIds,
  typesReady,
}: {
  siteId: string;
  templates: TicketTypeTemplate[];
  existingCodes: ReadonlySet<string>;
  usedTypeIds: number[];
  typesReady: boolean;
}) {
  const { t } = useTranslation('admin');
  const client = useQueryClient();
  const language = currentLanguage();
  const [checked, setChecked] = useState<ReadonlySet<string>>(new Set());
  const [prices, setPrices] = useState<Record<string, string>>(() =>
    Object.fromEntries(
      templates.map((template) => [template.key, fenToYuanText(templatePriceFen(template))]),
    ),
  );
  const invalid = [...checked].filter((key) => parseYuan(prices[key] ?? '') === undefined);

  const create = useMutation({
    mutationFn: async () => {
      const chosen = templates
        .filter((template) => checked.has(template.key) && !existingCodes.has(templateCode(template)))
        .map((template) => ({ template, priceFen: parseYuan(prices[template.key] ?? '')! }));
      // One after another: each type id is checked against the ones created before it.
      for (const body of templateBodies(siteId, chosen, usedTypeIds)) await api.post('/ticket-types', body);
      return chosen.length;
    },
    onSettled: () => client.invalidateQueries({ queryKey: ['ticket-types'] }),
    onSuccess: () => setChecked(new Set()),
  });

  const toggle = (key: string, on: boolean) =>
    setChecked((before) => {
      const next = new Set(before);
      if (on) next.add(key);
      else next.delete(key);
      return next;
    });

  return (
    <>
      <Table<TicketTypeTemplate>
        size="small"
        rowKey="key"
        dataSource={templates}
        pagination={false}
        data-testid="setup-templates"
        columns={[
          {
            title: t('setup.choose'),
            width: 72,
            render: (_, template) => {
              const created = existingCodes.has(templateCode(template));
              return (
                <Checkbox
                  checked={created || checked.has(template.key)}
                  disabled={created}
                  onChange={(event) => toggle(template.key, event.target.checked)}
                  aria-label={template.name[language]}
                />
              );
            },
          },
          {
            title: t('form.name'),
            width: 160,
            render: (_, template) => (
              <Space size={4}>
                {template.name[language]}
                {existingCodes.has(templateCode(template)) ? (
                  <Tag color="green">{t('setup.alreadyCreated')}</Tag>
                ) : null}
              </Space>
            ),
          },
          {
            title: t('setup.description'),
            render: (_, template) => (
              <Typography.Text type="secondary">{template.description[language]}</Typography.Text>
            ),
          },
          {
            title: t('setup.priceYuan'),
            width: 150,
            render: (_, template) => {
              const text = prices[template.key] ?? '';
              const bad = parseYuan(text) === undefined;
              return (
                <Input
                  prefix="¥"
                  value={text}
                  status={bad ? 'error' : undefined}
                  disabled={existingCodes.has(templateCode(template))}
                  aria-label={t('setup.priceOf', { name: template.name[language] })}
                  onChange={(event) =>
                    setPrices((before) => ({ ...before, [template.key]: event.target.value }))
                  }
                />
              );
            },
          },
        ]}
      />
      {invalid.length > 0 ? <Typography.Text type="danger">{t('setup.priceInvalid')}</Typography.Text> : null}
      <ErrorAlert error={create.error} />
      <Space style={{ marginTop: 12 }}>
        <Button
          type="primary"
          disabled={checked.size === 0 || invalid.length > 0 || !typesReady}
          loading={create.isPending}
          onClick={() => create.mutate()}
          data-testid="create-types"
        >
          {t('setup.createTypes', { count: checked.size })}
        </Button>
        {create.isSuccess ? (
          <Typography.Text type="success">{t('setup.typesCreated', { count: create.data })}</Typography.Text>
        ) : null}
      </Space>
    </>
  );
}
