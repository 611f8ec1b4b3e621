/** Create / edit dialogs of sites, zones, windows and gates (fields shared with the setup wizard). */
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { App, Form, Modal, Switch } from 'antd';
import { useTranslation } from 'react-i18next';
import { api } from '../../../api/client';
import type { Gate, Site, TicketWindow, Zone } from '../../../api/types';
import { applyFieldErrors, ErrorAlert } from '../../../components/feedback';
import { DEFAULT_ZONE } from '../../../format/time';
import { type SiteValues, useSaveSite } from '../shared/site-save';
import { GateFields, SiteFields, venueName, WindowFields, ZoneFields } from '../shared/venue-fields';

export function SiteModal({
  site,
  inPark,
  inParkKnown,
  onClose,
}: {
  site: Site | undefined;
  inPark: number | null | undefined;
  /** Whether the current in-park capacity could be read (reports.read); otherwise the field is not offered. */
  inParkKnown: boolean;
  onClose: (saved?: Site) => void;
}) {
  const { t } = useTranslation(['admin', 'common']);
  const [form] = Form.useForm<SiteValues>();
  const save = useSaveSite();
  const { message } = App.useApp();
  return (
    <Modal
      open
      title={site ? t('venues.editSite', { name: venueName(site.name) }) : t('venues.createSite')}
      okText={t('common:actions.save')}
      onOk={() => form.submit()}
      confirmLoading={save.isPending}
      onCancel={() => onClose()}
      destroyOnHidden
      width={600}
    >
      <Form
        form={form}
        layout="vertical"
        initialValues={
          site
            ? {
                id: site.id,
                name: site.name,
                timezone: site.timezone,
                dailyCapacity: site.dailyCapacity,
                inParkCapacity: inPark ?? null,
              }
            : { timezone: DEFAULT_ZONE }
        }
        onFinish={(values) =>
          save.mutate(
            {
              // Without the current value the in-park capacity is left alone.
              values: inParkKnown || !site ? values : { ...values, inParkCapacity: inPark },
              existing: Boolean(site),
              inParkBefore: site ? inPark : null,
            },
            {
              onSuccess: (saved) => {
                void message.success(t('form.savedName', { name: venueName(saved.name) }));
                onClose(saved);
              },
              onError: (error) => applyFieldErrors(form, error),
            },
          )
        }
      >
        <SiteFields existing={Boolean(site)} inPark={inParkKnown || !site} />
        <ErrorAlert error={save.error} />
      </Form>
    </Modal>
  );
}

type Kind = 'zones' | 'windows' | 'gates';
type Item = Zone | TicketWindow | Gate;

interface ItemValues {
  id: string;
  name: { zh: string; en: string };
  active: boolean;
  capacity?: number | null;
  zoneId?: string;
  direction?: Gate['direction'];
  kind?: Gate['kind'];
}

const TITLES = {
  zones: { create: 'venues.createZone', edit: 'venues.editZone' },
  windows: { create: 'venues.createWindow', edit: 'venues.editWindow' },
  gates: { create: 'venues.createGate', edit: 'venues.editGate' },
} as const;

/** Create or edit a zone, window or gate of a site. */
export function ItemModal({
  kind,
  siteId,
  item,
  zones,
  onClose,
}: {
  kind: Kind;
  siteId: string;
  item: Item | undefined;
  zones: readonly Zone[];
  onClose: (saved?: Item) => void;
}) {
  const { t } = useTranslation(['admin', 'common']);
  const [form] = Form.useForm<ItemValues>();
  const client = useQueryClient();
  const { message } = App.useApp();
  const save = useMutation({
    mutationFn: (values: ItemValues) => {
      const { id, ...rest } = values;
      const body = {
        ...rest,
        ...(kind === 'zones' && { capacity: values.capacity ?? null }),
      };
      return item
        ? api.patch<Item>(`/sites/${siteId}/${kind}/${item.id}`, body)
        : api.post<Item>(`/sites/${siteId}/${kind}`, { id, ...body });
    },
    onSuccess: async (saved) => {
      void message.success(t('form.savedName', { name: venueName(saved.name) }));
      await client.invalidateQueries({ queryKey: [kind] });
      onClose(saved);
    },
    onError: (error) => applyFieldErrors(form, error),
  });
  const initial: Partial<ItemValues> = item
    ? { ...item }
    : { active: true, ...(kind === 'gates' && { direction: 'in', kind: 'flap', zoneId: zones[0]?.id }) };
  return (
    <Modal
      open
      title={item ? t(TITLES[kind].edit, { name: venueName(item.name) }) : t(TITLES[kind].create)}
      okText={t('common:actions.save')}
      onOk={() => form.submit()}
      confirmLoading={save.isPending}
      onCancel={() => onClose()}
      destroyOnHidden
      width={600}
    >
      <Form form={form} layout="vertical" initialValues={initial} onFinish={(values) => save.mutate(values)}>
        {kind === 'zones' ? <ZoneFields existing={Boolean(item)} /> : null}
        {kind === 'windows' ? <WindowFields existing={Boolean(item)} /> : null}
        {kind === 'gates' ? <GateFields existing={Boolean(item)} zones={zones} /> : null}
        <Form.Item
          label={t('form.active')}
          name="active"
          valuePropName="checked"
          extra={kind === 'gates' ? t('gate.activeHelp') : undefined}
        >
          <Switch />
        </Form.Item>
        <ErrorAlert error={save.error} />
      </Form>
    </Modal>
  );
}
