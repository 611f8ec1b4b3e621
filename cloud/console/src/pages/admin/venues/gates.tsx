/**
 * A site's gate registry with each gate's MQTT credential: issue (first time or after a revocation) or rotate —
 * the password is shown once with the simulator command — and revoke after a confirmation.
 */
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { App, Button, Modal, Space, Table, Tag } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../../api/client';
import type { Gate, IssuedCredential, Zone } from '../../../api/types';
import { allows } from '../../../auth/access';
import { useMe } from '../../../auth/session';
import { ErrorAlert, useNotifyError } from '../../../components/feedback';
import { MoreButton } from '../../../components/more-button';
import { useCredentialActions } from '../shared/credential-actions';
import { CredentialPanel } from '../shared/credential-panel';
import { useGateCredential, useGates } from '../shared/queries';
import { venueName } from '../shared/venue-fields';
import { ItemModal } from './modals';
import { RowActions } from './row-actions';

export function GatesTab({
  siteId,
  zones,
  canManage,
}: {
  siteId: string;
  zones: Zone[];
  canManage: boolean;
}) {
  const { t } = useTranslation(['admin', 'common']);
  const me = useMe().data ?? undefined;
  const mayIssue = allows(me, 'gates.manage');
  const gates = useGates(siteId);
  const [editing, setEditing] = useState<Gate | 'new'>();
  const [shown, setShown] = useState<{ gate: Gate; credential: IssuedCredential }>();
  const client = useQueryClient();
  const notifyError = useNotifyError();
  const remove = useMutation({
    mutationFn: (gate: Gate) => api.delete<void>(`/sites/${siteId}/gates/${gate.id}`),
    onSuccess: () => client.invalidateQueries({ queryKey: ['gates'] }),
    onError: notifyError,
  });
  const zoneName = (id: string) => {
    const zone = zones.find((candidate) => candidate.id === id);
    return zone ? venueName(zone.name) : id;
  };

  return (
    <>
      {canManage ? (
        <Button type="primary" onClick={() => setEditing('new')} style={{ marginBottom: 12 }}>
          {t('venues.createGate')}
        </Button>
      ) : null}
      <ErrorAlert error={gates.error} />
      <Table<Gate>
        rowKey="id"
        size="small"
        loading={gates.isPending}
        dataSource={gates.items}
        pagination={false}
        data-testid="venue-gates"
        locale={{ emptyText: t('venues.noGates') }}
        columns={[
          { title: t('form.id'), dataIndex: 'id', width: 120 },
          { title: t('form.name'), render: (_, gate) => venueName(gate.name) },
          { title: t('gate.zone'), render: (_, gate) => zoneName(gate.zoneId) },
          {
            title: t('gate.direction'),
            width: 80,
            render: (_, gate) => t(`gate.directions.${gate.direction}`),
          },
          { title: t('gate.kind'), width: 80, render: (_, gate) => t(`gate.kinds.${gate.kind}`) },
          {
            title: t('form.status'),
            width: 80,
            render: (_, gate) =>
              gate.active ? <Tag color="green">{t('form.inUse')}</Tag> : <Tag>{t('form.notInUse')}</Tag>,
          },
          ...(mayIssue
            ? [
                {
                  title: t('credential.title'),
                  width: 300,
                  render: (_: unknown, gate: Gate) => (
                    <CredentialCell gate={gate} onIssued={(credential) => setShown({ gate, credential })} />
                  ),
                },
              ]
            : []),
          ...(canManage
            ? [
                {
                  title: t('form.actions'),
                  width: 130,
                  render: (_: unknown, gate: Gate) => (
                    <RowActions
                      name={venueName(gate.name)}
                      deleteHelp={t('venues.deleteGateHelp')}
                      onEdit={() => setEditing(gate)}
                      onDelete={() => remove.mutateAsync(gate)}
                    />
                  ),
                },
              ]
            : []),
        ]}
      />
      <MoreButton list={gates} style={{ marginTop: 12 }} />
      {editing ? (
        <ItemModal
          kind="gates"
          siteId={siteId}
          item={editing === 'new' ? undefined : editing}
          zones={zones}
          onClose={() => setEditing(undefined)}
        />
      ) : null}
      <Modal
        open={shown !== undefined}
        title={
          shown
            ? t('credential.issuedTitle', { gate: `${venueName(shown.gate.name)} (${shown.gate.id})` })
            : null
        }
        onCancel={() => setShown(undefined)}
        footer={
          <Button type="primary" onClick={() => setShown(undefined)}>
            {t('credential.saved')}
          </Button>
        }
        width={760}
        destroyOnHidden
        mask={{ closable: false }}
      >
        {shown ? <CredentialPanel credential={shown.credential} direction={shown.gate.direction} /> : null}
      </Modal>
    </>
  );
}

function CredentialCell({
  gate,
  onIssued,
}: {
  gate: Gate;
  onIssued: (credential: IssuedCredential) => void;
}) {
  const { t } = useTranslation(['admin', 'common']);
  const credential = useGateCredential(gate.id);
  const actions = useCredentialActions();
  const notifyError = useNotifyError();
  const { modal } = App.useApp();
  const name = `${venueName(gate.name)} (${gate.id})`;

  if (credential.isPending) return <Tag>{t('common:states.loading')}</Tag>;
  if (credential.isError) return <Tag color="red">{t('common:states.error')}</Tag>;
  const current = credential.data;
  const valid = current !== null && current.revokedAt === null;
  const issue = () => actions.issue.mutate(gate.id, { onSuccess: onIssued, onError: notifyError });

  return (
    <Space size={4} wrap data-testid={`credential-${gate.id}`}>
      {current === null ? (
        <Tag>{t('credential.none')}</Tag>
      ) : valid ? (
        <Tag color="green">{t('credential.valid', { version: current.version })}</Tag>
      ) : (
        <Tag color="red">{t('credential.revoked')}</Tag>
      )}
      {valid ? (
        <>
          <Button
            size="small"
            loading={actions.rotate.isPending}
            onClick={() =>
              modal.confirm({
                title: t('credential.rotateConfirm', { gate: name }),
                content: t('credential.rotateHelp'),
                onOk: () => actions.rotate.mutateAsync(gate.id).then(onIssued, notifyError),
              })
            }
          >
            {t('credential.rotate')}
          </Button>
          <Button
            size="small"
            danger
            loading={actions.revoke.isPending}
            onClick={() =>
              modal.confirm({
                title: t('credential.revokeConfirm', { gate: name }),
                content: t('credential.revokeHelp'),
                okButtonProps: { danger: true },
                okText: t('credential.revoke'),
                onOk: () => actions.revoke.mutateAsync(gate.id).catch(notifyError),
              })
            }
          >
            {t('credential.revoke')}
          </Button>
        </>
      ) : (
        <Button
          size="small"
          type="primary"
          disabled={!gate.active}
          loading={actions.issue.isPending}
          onClick={issue}
        >
          {t('credential.issue')}
        </Button>
      )}
    </Space>
  );
}
