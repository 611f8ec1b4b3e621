/**
 * A type's versions (GET …/versions), newest first, each with what changed from the one before; any version can be
 * opened whole (GET …/versions/{n}).
 */
import { useQuery } from '@tanstack/react-query';
import { Button, Card, Drawer, Modal, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../../api/client';
import type { TicketType, TicketTypeVersion } from '../../../api/types';
import { QueryView } from '../../../components/feedback';
import { formatDateTime } from '../../../format/time';
import { typeName } from '../shared';
import { DefinitionView, fieldLabel, formatField } from './describe';
import { diffDefinitions } from './form-model';

function definitionOf(version: TicketTypeVersion) {
  const { typeId, version: _n, createdAt, ...definition } = version;
  return definition;
}

function VersionModal({
  type,
  version,
  timeZone,
  onClose,
}: {
  type: TicketType;
  version: number;
  timeZone: string;
  onClose: () => void;
}) {
  const { t } = useTranslation('catalog');
  const { t: tc } = useTranslation();
  const query = useQuery({
    queryKey: ['ticket-types', 'one', type.typeId, 'version', version],
    queryFn: () => api.get<TicketTypeVersion>(`/ticket-types/${type.typeId}/versions/${version}`),
    staleTime: Number.POSITIVE_INFINITY, // a committed version never changes
  });
  return (
    <Modal
      open
      width={860}
      title={t('versions.viewTitle', { name: typeName(type), version })}
      onCancel={onClose}
      footer={<Button onClick={onClose}>{tc('actions.close')}</Button>}
    >
      <QueryView query={query}>
        {(found) => (
          <div data-testid="version-view">
            <Typography.Paragraph type="secondary">
              {t('versions.createdAt')}：{formatDateTime(found.createdAt, timeZone)}
            </Typography.Paragraph>
            <DefinitionView definition={definitionOf(found)} />
          </div>
        )}
      </QueryView>
    </Modal>
  );
}

export function VersionsDrawer({
  type,
  timeZone,
  onClose,
}: {
  type: TicketType;
  timeZone: string;
  onClose: () => void;
}) {
  const { t } = useTranslation('catalog');
  const [viewing, setViewing] = useState<number | null>(null);
  const query = useQuery({
    queryKey: ['ticket-types', 'one', type.typeId, 'versions'],
    queryFn: () => api.get<TicketTypeVersion[]>(`/ticket-types/${type.typeId}/versions`),
  });
  return (
    <Drawer open size={720} title={t('versions.title', { name: typeName(type) })} onClose={onClose}>
      <QueryView query={query} empty={(versions) => versions.length === 0}>
        {(versions) => {
          const sorted = [...versions].sort((a, b) => a.version - b.version);
          const cards = sorted
            .map((version, index) => {
              const previous = sorted[index - 1];
              const changes = previous ? diffDefinitions(definitionOf(previous), definitionOf(version)) : [];
              return { version, previous, changes };
            })
            .reverse();
          return (
            <Space orientation="vertical" style={{ width: '100%' }} data-testid="version-list">
              {cards.map(({ version, previous, changes }) => (
                <Card
                  key={version.version}
                  size="small"
                  data-testid={`version-${version.version}`}
                  title={
                    <Space>
                      <Tag color="blue">{t('types.versionTag', { version: version.version })}</Tag>
                      {version.version === type.version ? (
                        <Tag color="green">{t('versions.current')}</Tag>
                      ) : null}
                      <Typography.Text type="secondary">
                        {formatDateTime(version.createdAt, timeZone)}
                      </Typography.Text>
                    </Space>
                  }
                  extra={
                    <Button size="small" onClick={() => setViewing(version.version)}>
                      {t('versions.view', { version: version.version })}
                    </Button>
                  }
                >
                  {previous ? (
                    changes.length === 0 ? (
                      <Typography.Text type="secondary">{t('versions.noChange')}</Typography.Text>
                    ) : (
                      <>
                        <Typography.Text strong>
                          {t('versions.changed', { version: previous.version })}
                        </Typography.Text>
                        <Table
                          size="small"
                          pagination={false}
                          rowKey={(change) => change.path.join('.')}
                          dataSource={changes}
                          columns={[
                            {
                              title: t('versions.field'),
                              key: 'field',
                              render: (_, change) => fieldLabel(change.path, t),
                            },
                            {
                              title: t('versions.before'),
                              key: 'before',
                              render: (_, change) => formatField(change.path, change.before, t),
                            },
                            {
                              title: t('versions.after'),
                              key: 'after',
                              render: (_, change) => (
                                <Typography.Text strong>
                                  {formatField(change.path, change.after, t)}
                                </Typography.Text>
                              ),
                            },
                          ]}
                        />
                      </>
                    )
                  ) : (
                    <Typography.Text type="secondary">{t('versions.created')}</Typography.Text>
                  )}
                </Card>
              ))}
            </Space>
          );
        }}
      </QueryView>
      {viewing !== null ? (
        <VersionModal type={type} version={viewing} timeZone={timeZone} onClose={() => setViewing(null)} />
      ) : null}
    </Drawer>
  );
}
