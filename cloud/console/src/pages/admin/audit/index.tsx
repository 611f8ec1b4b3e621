/**
 * 操作日志: the hash-chained operation log, newest first — search by operator, action (exact or a "prefix."), entity,
 * entity id and time; each action rendered as a sentence by the one display table (display.ts); before/after as a
 * diff in a drawer; and the chain check (GET /audit/verify) with its verdict.
 */
import { SafetyOutlined } from '@ant-design/icons';
import { useInfiniteQuery, useMutation, useQuery } from '@tanstack/react-query';
import {
  Alert,
  AutoComplete,
  Button,
  DatePicker,
  Drawer,
  Form,
  Input,
  Select,
  Space,
  Table,
  Tag,
  Typography,
} from 'antd';
import type { Dayjs } from 'dayjs';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../../api/client';
import type { AuditEntry, AuditVerification, Operator, Role } from '../../../api/types';
import { allows } from '../../../auth/access';
import { useMe } from '../../../auth/session';
import { ErrorAlert } from '../../../components/feedback';
import { formatFen } from '../../../format/money';
import { formatDateTime } from '../../../format/time';
import { currentLanguage } from '../../../i18n';
import { useVenueZone } from '../shared/venue-zone';
import {
  ACTION_GROUPS,
  type DisplayContext,
  describeEntry,
  diffEntry,
  ENTITIES,
  KNOWN_ACTIONS,
} from './display';
import { dayStart } from './zoned';

const PAGE_SIZE = 50;

interface Filter {
  actor?: string;
  action?: string;
  entity?: string;
  entityId?: string;
  from?: number;
  to?: number;
}

interface FormValues {
  actor?: string;
  action?: string;
  entity?: string;
  entityId?: string;
  range?: [Dayjs | null, Dayjs | null] | null;
}

/** Names for the ids entries carry (operators, roles), from what the operator may read. */
function useNames(): DisplayContext['nameOf'] {
  const me = useMe().data ?? undefined;
  const mayRead = allows(me, 'operators.read');
  const operators = useQuery({
    queryKey: ['operators', 'list', 'names'],
    queryFn: () => api.get<{ items: Operator[] }>('/operators', { limit: 200 }),
    enabled: mayRead,
    staleTime: 60_000,
  });
  const roles = useQuery({
    queryKey: ['roles', 'list'],
    queryFn: () => api.get<Role[]>('/roles'),
    enabled: mayRead,
  });
  const language = currentLanguage();
  return useMemo(() => {
    const people = new Map(
      operators.data?.items.map((operator) => [
        operator.id,
        `${operator.displayName} (${operator.username})`,
      ]),
    );
    const roleNames = new Map(roles.data?.map((role) => [role.code, role.name[language]]));
    return (entity, id) =>
      entity === 'operator' ? people.get(id) : entity === 'role' ? roleNames.get(id) : undefined;
  }, [operators.data, roles.data, language]);
}

export default function AuditPage() {
  const { t } = useTranslation(['admin', 'common']);
  const zone = useVenueZone();
  const language = currentLanguage();
  const nameOf = useNames();
  const [filter, setFilter] = useState<Filter>({});
  const [open, setOpen] = useState<AuditEntry>();
  const [form] = Form.useForm<FormValues>();

  const log = useInfiniteQuery({
    queryKey: ['audit', 'list', filter],
    queryFn: ({ pageParam, signal }) =>
      api.get<{ items: AuditEntry[]; nextBefore: number | null }>(
        '/audit',
        { ...filter, limit: PAGE_SIZE, before: pageParam },
        signal,
      ),
    initialPageParam: undefined as number | undefined,
    getNextPageParam: (page) => page.nextBefore ?? undefined,
  });
  const entries = log.data?.pages.flatMap((page) => page.items) ?? [];

  const verify = useMutation({ mutationFn: () => api.get<AuditVerification>('/audit/verify') });

  const context: DisplayContext = { language, nameOf, money: formatFen };
  const sentence = (entry: AuditEntry) => {
    const { key, values } = describeEntry(entry, context);
    return t(`auditActions.${key}`, values);
  };

  const search = (values: FormValues) => {
    const [from, to] = values.range ?? [];
    setFilter({
      actor: values.actor?.trim() || undefined,
      action: values.action?.trim() || undefined,
      entity: values.entity || undefined,
      entityId: values.entityId?.trim() || undefined,
      from: from ? dayStart(from.format('YYYY-MM-DD'), zone) : undefined,
      // Through the end of the last day chosen.
      to: to ? dayStart(to.add(1, 'day').format('YYYY-MM-DD'), zone) : undefined,
    });
  };

  const actionOptions = [
    ...ACTION_GROUPS.map((group) => ({
      value: `${group}.`,
      label: t('audit.groupOption', { group: t(`auditGroups.${group}`), prefix: `${group}.` }),
    })),
    ...KNOWN_ACTIONS.map((action) => ({ value: action, label: action })),
  ];

  return (
    <>
      <Space style={{ width: '100%', justifyContent: 'space-between', marginBottom: 16 }} wrap>
        <Typography.Title level={3} style={{ margin: 0 }}>
          {t('audit.title')}
        </Typography.Title>
        <Button
          icon={<SafetyOutlined />}
          onClick={() => verify.mutate()}
          loading={verify.isPending}
          data-testid="audit-verify"
        >
          {t('audit.verify')}
        </Button>
      </Space>
      <VerifyResult verification={verify.data} error={verify.error} />
      <Form form={form} layout="inline" onFinish={search} style={{ marginBottom: 16, rowGap: 12 }}>
        <Form.Item label={t('audit.actor')} name="actor">
          <Input allowClear placeholder={t('audit.actorHint')} maxLength={64} style={{ width: 160 }} />
        </Form.Item>
        <Form.Item label={t('audit.action')} name="action">
          <AutoComplete
            allowClear
            options={actionOptions}
            placeholder={t('audit.actionHint')}
            style={{ width: 220 }}
            showSearch={{
              filterOption: (input, option) =>
                String(option?.label ?? '')
                  .toLowerCase()
                  .includes(input.toLowerCase()),
            }}
          />
        </Form.Item>
        <Form.Item label={t('audit.entity')} name="entity">
          <Select
            allowClear
            style={{ width: 150 }}
            options={ENTITIES.map((entity) => ({ value: entity, label: t(`auditEntities.${entity}`) }))}
          />
        </Form.Item>
        <Form.Item label={t('audit.entityId')} name="entityId">
          <Input allowClear maxLength={128} style={{ width: 150 }} />
        </Form.Item>
        <Form.Item label={t('audit.range')} name="range">
          <DatePicker.RangePicker allowEmpty={[true, true]} />
        </Form.Item>
        <Form.Item>
          <Space>
            <Button type="primary" htmlType="submit">
              {t('common:actions.search')}
            </Button>
            <Button
              onClick={() => {
                form.resetFields();
                setFilter({});
              }}
            >
              {t('common:actions.reset')}
            </Button>
          </Space>
        </Form.Item>
      </Form>
      <ErrorAlert error={log.error} />
      <Table<AuditEntry>
        rowKey="seq"
        size="small"
        loading={log.isFetching && !log.isFetchingNextPage}
        dataSource={entries}
        pagination={false}
        data-testid="audit-table"
        columns={[
          { title: '#', dataIndex: 'seq', width: 70 },
          { title: t('audit.time'), width: 170, render: (_, entry) => formatDateTime(entry.at, zone) },
          {
            title: t('audit.actor'),
            width: 130,
            render: (_, entry) =>
              entry.actor.username ?? (
                <Typography.Text type="secondary">
                  {entry.actor.id ? entry.actor.id : t('audit.system')}
                </Typography.Text>
              ),
          },
          { title: t('audit.what'), render: (_, entry) => sentence(entry) },
          { title: t('audit.ip'), dataIndex: 'ip', width: 130 },
          {
            title: t('audit.details'),
            width: 90,
            render: (_, entry) => (
              <Button type="link" size="small" onClick={() => setOpen(entry)}>
                {t('audit.details')}
              </Button>
            ),
          },
        ]}
      />
      {log.hasNextPage ? (
        <div style={{ textAlign: 'center', marginTop: 16 }}>
          <Button onClick={() => log.fetchNextPage()} loading={log.isFetchingNextPage}>
            {t('common:actions.more')}
          </Button>
        </div>
      ) : null}
      <Drawer
        open={open !== undefined}
        onClose={() => setOpen(undefined)}
        size={640}
        title={open ? t('audit.drawerTitle', { seq: open.seq }) : null}
        data-testid="audit-drawer"
      >
        {open ? <EntryDetails entry={open} sentence={sentence(open)} zone={zone} /> : null}
      </Drawer>
    </>
  );
}

function VerifyResult({ verification, error }: { verification?: AuditVerification; error: unknown }) {
  const { t } = useTranslation(['admin', 'common']);
  if (error) return <ErrorAlert error={error} />;
  if (!verification) return null;
  return (
    <Alert
      type={verification.ok ? 'success' : 'error'}
      showIcon
      style={{ marginBottom: 16 }}
      data-testid="audit-verify-result"
      title={
        verification.ok
          ? t('audit.verifyOk', { rows: verification.rows, head: verification.headSeq ?? 0 })
          : t('audit.verifyBroken', {
              seq: verification.seq ?? '?',
              problem: verification.problem ? t(`audit.problems.${verification.problem}`) : '',
            })
      }
      description={!verification.ok && verification.message ? verification.message : undefined}
    />
  );
}

function EntryDetails({ entry, sentence, zone }: { entry: AuditEntry; sentence: string; zone: string }) {
  const { t } = useTranslation(['admin', 'common']);
  const changes = diffEntry(entry);
  return (
    <>
      <Typography.Paragraph strong>{sentence}</Typography.Paragraph>
      <Typography.Paragraph type="secondary">
        {formatDateTime(entry.at, zone)} · {entry.actor.username ?? t('audit.system')} · {entry.action} ·{' '}
        {entry.entity} {entry.entityId ?? ''}
      </Typography.Paragraph>
      {changes.length === 0 ? (
        <Alert type="info" title={t('audit.noChanges')} />
      ) : (
        <Table
          rowKey="field"
          size="small"
          pagination={false}
          dataSource={changes}
          data-testid="audit-diff"
          columns={[
            {
              title: t('audit.field'),
              dataIndex: 'field',
              width: 140,
              render: (field: string, row) => (row.changed ? <Tag color="blue">{field}</Tag> : field),
            },
            {
              title: t('audit.before'),
              dataIndex: 'before',
              render: (value?: string) => <Value value={value} />,
            },
            {
              title: t('audit.after'),
              dataIndex: 'after',
              render: (value?: string) => <Value value={value} />,
            },
          ]}
        />
      )}
      <Typography.Paragraph type="secondary" style={{ marginTop: 16, wordBreak: 'break-all', fontSize: 12 }}>
        {t('audit.hash')}: {entry.hash}
      </Typography.Paragraph>
    </>
  );
}

function Value({ value }: { value: string | undefined }) {
  if (value === undefined) return <Typography.Text type="secondary">—</Typography.Text>;
  return <span style={{ wordBreak: 'break-all', whiteSpace: 'pre-wrap' }}>{value}</span>;
}
