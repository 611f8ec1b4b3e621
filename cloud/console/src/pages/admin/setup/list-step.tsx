/** Steps 2 and 3: a site's zones, then its ticket windows — what exists so far and a form to add one more. */
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Button, Card, Form, Table } from 'antd';
import { useTranslation } from 'react-i18next';
import { api } from '../../../api/client';
import type { TicketWindow, Zone } from '../../../api/types';
import { applyFieldErrors, ErrorAlert } from '../../../components/feedback';
import { MoreButton } from '../../../components/more-button';
import { useWindows, useZones } from '../shared/queries';
import { venueName, WindowFields, ZoneFields } from '../shared/venue-fields';

type Kind = 'zones' | 'windows';

interface Values {
  id: string;
  name: { zh: string; en: string };
  capacity?: number | null;
}

export function ListStep({ kind, siteId }: { kind: Kind; siteId: string }) {
  const { t } = useTranslation(['admin', 'common']);
  const zones = useZones(kind === 'zones' ? siteId : undefined);
  const windows = useWindows(kind === 'windows' ? siteId : undefined);
  const list = kind === 'zones' ? zones : windows;
  const client = useQueryClient();
  const [form] = Form.useForm<Values>();
  const add = useMutation({
    mutationFn: (values: Values) =>
      api.post<Zone | TicketWindow>(`/sites/${siteId}/${kind}`, {
        id: values.id,
        name: values.name,
        ...(kind === 'zones' && { capacity: values.capacity ?? null }),
      }),
    onSuccess: async () => {
      form.resetFields();
      await client.invalidateQueries({ queryKey: [kind] });
    },
  });
  const items: (Zone | TicketWindow)[] = list.items;

  return (
    <>
      <Table<Zone | TicketWindow>
        size="small"
        rowKey="id"
        loading={list.isPending}
        dataSource={items}
        pagination={false}
        data-testid={`setup-${kind}`}
        locale={{ emptyText: t(kind === 'zones' ? 'setup.noZones' : 'setup.noWindows') }}
        columns={[
          { title: t('form.id'), dataIndex: 'id', width: 160 },
          { title: t('form.name'), render: (_, row) => venueName(row.name) },
          ...(kind === 'zones'
            ? [
                {
                  title: t('zone.capacity'),
                  render: (_: unknown, row: Zone | TicketWindow) =>
                    'capacity' in row && row.capacity !== null ? row.capacity : t('form.unlimited'),
                },
              ]
            : []),
        ]}
        style={{ marginBottom: 16 }}
      />
      <MoreButton list={list} />
      <ErrorAlert error={list.error} />
      <Card size="small" title={t(kind === 'zones' ? 'setup.addZone' : 'setup.addWindow')}>
        <Form
          form={form}
          layout="vertical"
          style={{ maxWidth: 560 }}
          onFinish={(values) => add.mutate(values, { onError: (error) => applyFieldErrors(form, error) })}
        >
          {kind === 'zones' ? <ZoneFields existing={false} /> : <WindowFields existing={false} />}
          <ErrorAlert error={add.error} />
          <Button htmlType="submit" loading={add.isPending} style={{ marginTop: 8 }}>
            {t(kind === 'zones' ? 'setup.addZone' : 'setup.addWindow')}
          </Button>
        </Form>
      </Card>
    </>
  );
}

/** How many the step has so far (the wizard asks for at least one zone). */
export function useListCount(kind: Kind, siteId: string | undefined) {
  const zones = useZones(kind === 'zones' ? siteId : undefined);
  const windows = useWindows(kind === 'windows' ? siteId : undefined);
  return (kind === 'zones' ? zones : windows).items.length;
}
