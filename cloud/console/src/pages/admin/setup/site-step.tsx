/** Step 1: the site — id, names, time zone, daily cap, in-park capacity. Creates it, or saves an existing one. */
import { useQuery } from '@tanstack/react-query';
import { Button, Form } from 'antd';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../../api/client';
import type { Site } from '../../../api/types';
import { applyFieldErrors, ErrorAlert, QueryView } from '../../../components/feedback';
import { DEFAULT_ZONE } from '../../../format/time';
import { type SiteValues, useInParkCapacity, useSaveSite } from '../shared/site-save';
import { SiteFields } from '../shared/venue-fields';

export function SiteStep({ siteId, onSaved }: { siteId: string | undefined; onSaved: (site: Site) => void }) {
  const site = useQuery({
    queryKey: ['sites', 'one', siteId],
    queryFn: () => api.get<Site>(`/sites/${siteId}`),
    enabled: siteId !== undefined,
  });
  if (siteId === undefined) return <SiteForm onSaved={onSaved} />;
  return <QueryView query={site}>{(data) => <SiteForm site={data} onSaved={onSaved} />}</QueryView>;
}

function SiteForm({ site, onSaved }: { site?: Site; onSaved: (site: Site) => void }) {
  const { t } = useTranslation('admin');
  const [form] = Form.useForm<SiteValues>();
  const save = useSaveSite();
  const inPark = useInParkCapacity(site?.id);

  useEffect(() => {
    if (inPark.data !== undefined) form.setFieldValue('inParkCapacity', inPark.data);
  }, [form, inPark.data]);

  return (
    <Form
      form={form}
      layout="vertical"
      style={{ maxWidth: 560 }}
      initialValues={
        site
          ? { id: site.id, name: site.name, timezone: site.timezone, dailyCapacity: site.dailyCapacity }
          : { timezone: DEFAULT_ZONE }
      }
      onFinish={(values) =>
        save.mutate(
          { values, existing: Boolean(site), inParkBefore: site ? inPark.data : null },
          { onSuccess: onSaved, onError: (error) => applyFieldErrors(form, error) },
        )
      }
    >
      <SiteFields existing={Boolean(site)} inPark />
      <ErrorAlert error={save.error} />
      <Button type="primary" htmlType="submit" loading={save.isPending} style={{ marginTop: 16 }}>
        {t('setup.next')}
      </Button>
    </Form>
  );
}
