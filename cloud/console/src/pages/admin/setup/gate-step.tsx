/**
 * Step 5: register a gate and issue its MQTT credential in one go; the password appears once, with the command that
 * starts the gate simulator as this gate.
 */
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Button, Card, Form, Space, Table } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../../api/client';
import type { CreateGate, Gate, IssuedCredential } from '../../../api/types';
import { allows } from '../../../auth/access';
import { useMe } from '../../../auth/session';
import { applyFieldErrors, ErrorAlert } from '../../../components/feedback';
import { CredentialPanel } from '../shared/credential-panel';
import { useGates, useZones } from '../shared/queries';
import { GateFields, venueName } from '../shared/venue-fields';

type Values = Omit<CreateGate, 'active'>;

export function GateStep({ siteId, onDone }: { siteId: string; onDone: () => void }) {
  const { t } = useTranslation('admin');
  const me = useMe().data ?? undefined;
  const mayIssue = allows(me, 'gates.manage');
  const zones = useZones(siteId);
  const gates = useGates(siteId);
  const client = useQueryClient();
  const [form] = Form.useForm<Values>();
  const [issued, setIssued] = useState<{ gate: Gate; credential: IssuedCredential | null }>();

  const register = useMutation({
    mutationFn: async (values: Values) => {
      const gate = await api.post<Gate>(`/sites/${siteId}/gates`, { ...values, active: true });
      await client.invalidateQueries({ queryKey: ['gates'] });
      const credential = mayIssue ? await api.post<IssuedCredential>(`/gates/${gate.id}/credentials`) : null;
      return { gate, credential };
    },
    onSuccess: (result) => {
      setIssued(result);
      form.resetFields();
      void client.invalidateQueries({ queryKey: ['gate-credentials'] });
    },
  });

  // The first zone is the likely one; zones may still be loading when the form mounts.
  const firstZone = zones.items[0]?.id;
  useEffect(() => {
    if (firstZone && !form.getFieldValue('zoneId')) form.setFieldValue('zoneId', firstZone);
  }, [form, firstZone]);

  if (issued) {
    return (
      <Card title={t('setup.gateRegistered', { gate: `${venueName(issued.gate.name)} (${issued.gate.id})` })}>
        {issued.credential ? (
          <CredentialPanel credential={issued.credential} direction={issued.gate.direction} />
        ) : null}
        <Space style={{ marginTop: 16 }}>
          <Button type="primary" onClick={onDone} data-testid="setup-finish">
            {t('setup.finish')}
          </Button>
          <Button onClick={() => setIssued(undefined)}>{t('setup.anotherGate')}</Button>
        </Space>
      </Card>
    );
  }

  return (
    <>
      {gates.items.length > 0 ? (
        <Table<Gate>
          size="small"
          rowKey="id"
          dataSource={gates.items}
          pagination={false}
          style={{ marginBottom: 16 }}
          columns={[
            { title: t('form.id'), dataIndex: 'id', width: 160 },
            { title: t('form.name'), render: (_, gate) => venueName(gate.name) },
            { title: t('gate.zone'), dataIndex: 'zoneId' },
            { title: t('gate.direction'), render: (_, gate) => t(`gate.directions.${gate.direction}`) },
          ]}
        />
      ) : null}
      <Card size="small" title={t('setup.registerGate')}>
        <Form
          form={form}
          layout="vertical"
          style={{ maxWidth: 560 }}
          initialValues={{ direction: 'in', kind: 'flap', zoneId: firstZone }}
          onFinish={(values) =>
            register.mutate(values, { onError: (error) => applyFieldErrors(form, error) })
          }
        >
          <GateFields existing={false} zones={zones.items} />
          <ErrorAlert error={register.error ?? zones.error} />
          <Space style={{ marginTop: 8 }}>
            <Button type="primary" htmlType="submit" loading={register.isPending}>
              {t(mayIssue ? 'setup.registerAndIssue' : 'setup.registerGate')}
            </Button>
            {gates.items.length > 0 ? <Button onClick={onDone}>{t('setup.finish')}</Button> : null}
          </Space>
        </Form>
      </Card>
    </>
  );
}
