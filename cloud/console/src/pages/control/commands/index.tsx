/**
 * 闸机指令: send a command to one gate, a zone, a site or every site, and watch each gate's answer arrive. A command
 * that reaches more than one gate, or that opens, locks or reboots even one, is confirmed by typing the target's id
 * (or ALL) in a dialog that names what is affected and how many gates. The command is sent with a short wait for
 * the acks and then read again until every gate has answered or timed out. Below, the commands sent, paged.
 */
import { keepPreviousData, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  App,
  Button,
  Card,
  Col,
  Descriptions,
  Flex,
  Form,
  Input,
  InputNumber,
  Modal,
  Progress,
  Radio,
  Row,
  Select,
  Space,
  Switch,
  Table,
  Tag,
  Typography,
} from 'antd';
import type { TFunction } from 'i18next';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../../api/client';
import type { CommandAction, CommandTarget, CommandView, Gate, Site, Zone } from '../../../api/types';
import { applyFieldErrors, ErrorAlert, useNotifyError } from '../../../components/feedback';
import { formatDateTime } from '../../../format/time';
import {
  ACTION_KINDS,
  type ActionKind,
  actionOf,
  confirmationMatches,
  confirmationWord,
  DANGEROUS_ACTIONS,
  gatesOfTarget,
  isSettled,
  needsTypedConfirmation,
  type TargetKind,
} from '../command-rules';
import { livenessOf } from '../gate-health';
import { commandReason, ResultTag } from '../labels';
import { useLiveGateStatus } from '../streams';
import { localName, nameWithId, siteZone, useCan, useRegistryGates, useSites, useZonesOf } from '../venues';

/** How long the send waits for acks before the screen starts reading the command again. */
const SEND_WAIT_MS = 1_000;
const POLL_MS = 700;
const HISTORY_PAGE = 10;
/** Gates named in the confirmation; the rest are counted. */
const NAMED_GATES = 12;

interface FormValues {
  action: ActionKind;
  on: boolean;
  full: boolean;
  targetKind: TargetKind;
  siteId?: string;
  zoneId?: string;
  gateId?: string;
  ttlSec: number;
}

interface Names {
  site(id: string): string;
  zone(siteId: string, zoneId: string): string;
  gate(id: string): string;
}

function actionText(t: TFunction<'control'>, action: CommandAction): string {
  if (action.kind === 'deny_unauthorized')
    return t(action.on ? 'actionWithOption.denyOn' : 'actionWithOption.denyOff');
  if (action.kind === 'sync')
    return t(action.full ? 'actionWithOption.syncFull' : 'actionWithOption.syncDelta');
  return t(`actions.${action.kind}`);
}

function targetText(t: TFunction<'control'>, target: CommandTarget, names: Names): string {
  switch (target.kind) {
    case 'gate':
      return t('targetText.gate', { name: nameWithId(names.gate(target.gateId), target.gateId) });
    case 'zone':
      return t('targetText.zone', {
        site: names.site(target.siteId),
        name: nameWithId(names.zone(target.siteId, target.zoneId), target.zoneId),
      });
    case 'site':
      return t('targetText.site', { name: nameWithId(names.site(target.siteId), target.siteId) });
    case 'all':
      return t('targetText.all');
  }
}

function targetOf(values: FormValues): CommandTarget | undefined {
  switch (values.targetKind) {
    case 'gate':
      return values.gateId ? { kind: 'gate', gateId: values.gateId } : undefined;
    case 'zone':
      return values.siteId && values.zoneId
        ? { kind: 'zone', siteId: values.siteId, zoneId: values.zoneId }
        : undefined;
    case 'site':
      return values.siteId ? { kind: 'site', siteId: values.siteId } : undefined;
    case 'all':
      return { kind: 'all' };
  }
}

function zoneOfCommand(command: CommandView, sites: readonly Site[] | undefined): string {
  const target = command.target;
  if (target.kind === 'zone' || target.kind === 'site') return siteZone(sites, target.siteId);
  return siteZone(sites, command.results[0]?.siteId);
}

interface Pending {
  readonly action: CommandAction;
  readonly target: CommandTarget;
  readonly ttlSec: number;
  readonly gates: Gate[];
}

export default function CommandsPage() {
  const { t } = useTranslation('control');
  const { message } = App.useApp();
  const notifyError = useNotifyError();
  const client = useQueryClient();
  const [form] = Form.useForm<FormValues>();
  const canVenues = useCan('venues.read');
  const sites = useSites();
  const siteIds = useMemo(() => (sites.data ?? []).map((site) => site.id), [sites.data]);
  const registry = useRegistryGates(siteIds);
  const zones = useZonesOf(siteIds);
  const statuses = useLiveGateStatus().query.data?.items;
  const [pending, setPending] = useState<Pending | undefined>();
  const [sending, setSending] = useState(false);
  const [currentId, setCurrentId] = useState<string | undefined>();
  const [historySite, setHistorySite] = useState<string | undefined>();
  const [page, setPage] = useState(1);

  const values = Form.useWatch([], form) as Partial<FormValues> | undefined;
  const names: Names = {
    site: (id) => localName(sites.data?.find((site) => site.id === id)?.name, id),
    zone: (siteId, zoneId) =>
      localName(zones.find((zone) => zone.siteId === siteId && zone.id === zoneId)?.name, zoneId),
    gate: (id) => localName(registry.gates.find((gate) => gate.id === id)?.name, id),
  };

  const draftTarget = values?.targetKind ? targetOf(values as FormValues) : undefined;
  const affected = draftTarget ? gatesOfTarget(draftTarget, registry.gates) : [];
  const now = Date.now();
  const offlineAmong = (gates: readonly Gate[]) =>
    gates.filter(
      (gate) =>
        livenessOf(
          statuses?.find((status) => status.gateId === gate.id),
          now,
        ) !== 'online',
    ).length;

  const current = useQuery({
    queryKey: ['commands', 'one', currentId],
    queryFn: ({ signal }) => api.get<CommandView>(`/commands/${currentId}`, undefined, signal),
    enabled: currentId !== undefined,
    refetchInterval: (query) => (query.state.data && isSettled(query.state.data) ? false : POLL_MS),
  });
  // Once every gate has answered, the list shows the command's final results too.
  const settled = current.data ? isSettled(current.data) : false;
  useEffect(() => {
    if (settled) void client.invalidateQueries({ queryKey: ['commands', 'list'] });
  }, [settled, client]);
  const history = useQuery({
    queryKey: ['commands', 'list', { siteId: historySite, page }],
    queryFn: ({ signal }) =>
      api.get<{ items: CommandView[]; total: number }>(
        '/commands',
        { siteId: historySite, limit: HISTORY_PAGE, offset: (page - 1) * HISTORY_PAGE },
        signal,
      ),
    placeholderData: keepPreviousData,
    refetchInterval: current.data && !isSettled(current.data) ? 2_000 : false,
  });

  const onFinish = (submitted: FormValues) => {
    const target = targetOf(submitted);
    if (!target) return;
    setPending({
      action: actionOf(submitted.action, { on: submitted.on, full: submitted.full }),
      target,
      ttlSec: submitted.ttlSec,
      gates: gatesOfTarget(target, registry.gates),
    });
  };

  const send = async (command: Pending) => {
    setSending(true);
    try {
      const view = await api.post<CommandView>(`/commands?wait=${SEND_WAIT_MS}`, {
        action: command.action,
        target: command.target,
        ttlSec: command.ttlSec,
      });
      client.setQueryData(['commands', 'one', view.id], view);
      setCurrentId(view.id);
      setPending(undefined);
      setPage(1);
      void client.invalidateQueries({ queryKey: ['commands', 'list'] });
      void message.success(t('commands.sent'));
    } catch (error) {
      setPending(undefined);
      if (!applyFieldErrors(form, error)) notifyError(error);
    } finally {
      setSending(false);
    }
  };

  const kind = values?.targetKind ?? 'gate';
  const siteId = values?.siteId;
  const action = values?.action;

  return (
    <Flex vertical gap={16}>
      <Typography.Title level={3} style={{ margin: 0 }}>
        {t('commands.title')}
      </Typography.Title>
      {canVenues ? null : <Alert type="info" showIcon title={t('gates.noRegistry')} />}
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={10}>
          <Card title={t('commands.send')} size="small">
            <Form<FormValues>
              form={form}
              layout="vertical"
              initialValues={{ targetKind: 'gate', on: true, full: false, ttlSec: 30 }}
              onFinish={onFinish}
              requiredMark
            >
              <Form.Item
                name="action"
                label={t('commands.action')}
                rules={[{ required: true, message: t('commands.required', { field: t('commands.action') }) }]}
                extra={action ? t(`actionHelp.${action}`) : undefined}
              >
                <Select
                  data-testid="command-action"
                  options={ACTION_KINDS.map((value) => ({
                    value,
                    label: (
                      <Space size={4}>
                        {t(`actions.${value}`)}
                        {DANGEROUS_ACTIONS.has(value) ? (
                          <Tag color="red">{t('commands.highRisk')}</Tag>
                        ) : null}
                      </Space>
                    ),
                  }))}
                />
              </Form.Item>
              {action === 'deny_unauthorized' ? (
                <Form.Item name="on" label={t('commands.option')} valuePropName="checked">
                  <Switch
                    checkedChildren={t('commands.denyOn')}
                    aria-label={t('actions.deny_unauthorized')}
                  />
                </Form.Item>
              ) : null}
              {action === 'sync' ? (
                <Form.Item name="full" label={t('commands.option')} valuePropName="checked">
                  <Switch aria-label={t('commands.full')} checkedChildren={t('commands.full')} />
                </Form.Item>
              ) : null}
              <Form.Item name="targetKind" label={t('commands.target')}>
                <Radio.Group
                  optionType="button"
                  buttonStyle="solid"
                  onChange={() => form.setFieldsValue({ zoneId: undefined, gateId: undefined })}
                  options={(['gate', 'zone', 'site', 'all'] as const).map((value) => ({
                    value,
                    label: t(`targets.${value}`),
                  }))}
                  data-testid="command-target-kind"
                />
              </Form.Item>
              {kind !== 'all' ? (
                <Form.Item
                  name="siteId"
                  label={t('filters.site')}
                  rules={[
                    {
                      required: kind !== 'gate',
                      message: t('commands.required', { field: t('filters.site') }),
                    },
                  ]}
                >
                  <Select
                    data-testid="command-site"
                    allowClear={kind === 'gate'}
                    placeholder={kind === 'gate' ? t('filters.allSites') : undefined}
                    onChange={() => form.setFieldsValue({ zoneId: undefined, gateId: undefined })}
                    options={(sites.data ?? []).map((site) => ({
                      value: site.id,
                      label: names.site(site.id),
                    }))}
                  />
                </Form.Item>
              ) : null}
              {kind === 'zone' ? (
                <Form.Item
                  name="zoneId"
                  label={t('filters.zone')}
                  rules={[{ required: true, message: t('commands.required', { field: t('filters.zone') }) }]}
                >
                  <Select
                    data-testid="command-zone"
                    disabled={!siteId}
                    options={zones
                      .filter((zone: Zone) => zone.siteId === siteId)
                      .map((zone) => ({
                        value: zone.id,
                        label: nameWithId(localName(zone.name, zone.id), zone.id),
                      }))}
                  />
                </Form.Item>
              ) : null}
              {kind === 'gate' ? (
                <Form.Item
                  name="gateId"
                  label={t('filters.gate')}
                  rules={[{ required: true, message: t('commands.required', { field: t('filters.gate') }) }]}
                >
                  <Select
                    data-testid="command-gate"
                    showSearch={{ optionFilterProp: 'label' }}
                    options={registry.gates
                      .filter((gate) => gate.active && (!siteId || gate.siteId === siteId))
                      .map((gate) => ({
                        value: gate.id,
                        label: nameWithId(localName(gate.name, gate.id), gate.id),
                      }))}
                  />
                </Form.Item>
              ) : null}
              <Form.Item
                name="ttlSec"
                label={t('commands.ttl')}
                extra={t('commands.ttlHelp')}
                rules={[
                  { required: true, type: 'integer', min: 5, max: 600, message: t('commands.ttlHelp') },
                ]}
              >
                <InputNumber min={5} max={600} precision={0} style={{ width: 140 }} />
              </Form.Item>
              {draftTarget ? (
                <Alert
                  type={affected.length === 0 ? 'warning' : 'info'}
                  showIcon
                  style={{ marginBottom: 16 }}
                  data-testid="command-affects"
                  title={
                    affected.length === 0
                      ? t('commands.affectsNone')
                      : t('commands.affects', { count: affected.length })
                  }
                  description={
                    offlineAmong(affected) > 0
                      ? t('commands.offlineAmong', { count: offlineAmong(affected) })
                      : undefined
                  }
                />
              ) : null}
              <Button
                type="primary"
                danger={action !== undefined && (DANGEROUS_ACTIONS.has(action) || kind !== 'gate')}
                htmlType="submit"
                loading={sending}
                data-testid="command-submit"
              >
                {t('commands.submit')}
              </Button>
            </Form>
          </Card>
        </Col>
        <Col xs={24} xl={14}>
          <Card title={t('commands.current')} size="small" data-testid="command-current">
            {currentId === undefined ? (
              <Typography.Text type="secondary">{t('commands.noCommand')}</Typography.Text>
            ) : current.data ? (
              <CommandDetail
                command={current.data}
                names={names}
                timeZone={zoneOfCommand(current.data, sites.data)}
              />
            ) : (
              <ErrorAlert error={current.error} />
            )}
          </Card>
        </Col>
      </Row>

      <Card
        size="small"
        title={t('commands.history')}
        extra={
          <Select
            aria-label={t('filters.site')}
            placeholder={t('filters.allSites')}
            allowClear
            size="small"
            style={{ width: 180 }}
            value={historySite}
            onChange={(value?: string) => {
              setHistorySite(value);
              setPage(1);
            }}
            options={(sites.data ?? []).map((site) => ({ value: site.id, label: names.site(site.id) }))}
          />
        }
      >
        <ErrorAlert error={history.error} />
        <Table<CommandView>
          size="small"
          rowKey="id"
          loading={history.isFetching && !history.data}
          dataSource={history.data?.items ?? []}
          data-testid="command-history"
          pagination={{
            current: page,
            pageSize: HISTORY_PAGE,
            total: history.data?.total ?? 0,
            showSizeChanger: false,
            onChange: setPage,
          }}
          expandable={{
            expandedRowRender: (command) => <ResultsTable command={command} names={names} />,
          }}
          columns={[
            {
              title: t('commands.issuedAt'),
              dataIndex: 'issuedAt',
              width: 170,
              render: (_, command) => formatDateTime(command.issuedAt, zoneOfCommand(command, sites.data)),
            },
            { title: t('commands.action'), render: (_, command) => actionText(t, command.action) },
            { title: t('commands.target'), render: (_, command) => targetText(t, command.target, names) },
            {
              title: t('commands.issuedBy'),
              width: 110,
              render: (_, command) => command.issuedBy.username ?? '—',
            },
            { title: t('commands.summary'), render: (_, command) => <SummaryTags command={command} /> },
            {
              title: t('commands.status'),
              width: 90,
              render: (_, command) =>
                isSettled(command) ? t('commands.statusCompleted') : t('commands.statusPending'),
            },
          ]}
        />
      </Card>

      {pending ? (
        <ConfirmCommand
          pending={pending}
          names={names}
          offline={offlineAmong(pending.gates)}
          sending={sending}
          onCancel={() => setPending(undefined)}
          onConfirm={() => void send(pending)}
        />
      ) : null}
    </Flex>
  );
}

function SummaryTags({ command }: { command: CommandView }) {
  const { t } = useTranslation('control');
  const { summary } = command;
  const parts = (['ok', 'rejected', 'error', 'timeout', 'pending'] as const).filter(
    (key) => summary[key] > 0,
  );
  const colors = {
    ok: 'success',
    rejected: 'warning',
    error: 'error',
    timeout: 'default',
    pending: 'processing',
  };
  return (
    <Space size={4} wrap>
      {parts.map((key) => (
        <Tag key={key} color={colors[key]}>{`${t(`results.${key}`)} ${summary[key]}`}</Tag>
      ))}
    </Space>
  );
}

function CommandDetail({
  command,
  names,
  timeZone,
}: {
  command: CommandView;
  names: Names;
  timeZone: string;
}) {
  const { t } = useTranslation('control');
  const done = command.summary.gates - command.summary.pending;
  return (
    <Flex vertical gap={12}>
      <Descriptions
        size="small"
        column={2}
        items={[
          { key: 'action', label: t('commands.action'), children: actionText(t, command.action) },
          { key: 'target', label: t('commands.target'), children: targetText(t, command.target, names) },
          {
            key: 'issued',
            label: t('commands.issuedAt'),
            children: formatDateTime(command.issuedAt, timeZone),
          },
          {
            key: 'status',
            label: t('commands.status'),
            children: (
              <span data-testid="command-status" data-status={isSettled(command) ? 'completed' : 'pending'}>
                {isSettled(command) ? t('commands.statusCompleted') : t('commands.statusPending')}
              </span>
            ),
          },
        ]}
      />
      <Progress
        percent={command.summary.gates === 0 ? 100 : Math.round((done * 100) / command.summary.gates)}
        format={() => t('commands.progress', { done, total: command.summary.gates })}
        status={
          isSettled(command)
            ? command.summary.ok === command.summary.gates
              ? 'success'
              : 'exception'
            : 'active'
        }
        aria-label={t('commands.progress', { done, total: command.summary.gates })}
      />
      <ResultsTable command={command} names={names} />
    </Flex>
  );
}

function ResultsTable({ command, names }: { command: CommandView; names: Names }) {
  const { t } = useTranslation('control');
  return (
    <Table
      size="small"
      rowKey="gateId"
      pagination={command.results.length > 20 ? { pageSize: 20, showSizeChanger: false } : false}
      dataSource={command.results}
      data-testid={`command-results-${command.id}`}
      columns={[
        {
          title: t('commands.gate'),
          render: (_, result) => (
            <Space size={4} wrap>
              <span>{nameWithId(names.gate(result.gateId), result.gateId)}</span>
              {result.wasOnline === false ? <Tag>{t('commands.wasOffline')}</Tag> : null}
            </Space>
          ),
        },
        { title: t('commands.result'), width: 180, render: (_, result) => <ResultTag result={result} /> },
        { title: t('commands.reason'), render: (_, result) => commandReason(t, result.reason) },
        {
          title: t('commands.latency'),
          width: 100,
          render: (_, result) =>
            result.latencyMs === null ? '—' : t('commands.latencyMs', { ms: result.latencyMs }),
        },
      ]}
    />
  );
}

function ConfirmCommand({
  pending,
  names,
  offline,
  sending,
  onCancel,
  onConfirm,
}: {
  pending: Pending;
  names: Names;
  offline: number;
  sending: boolean;
  onCancel: () => void;
  onConfirm: () => void;
}) {
  const { t } = useTranslation('control');
  const { t: tc } = useTranslation();
  const [typed, setTyped] = useState('');
  const typedNeeded = needsTypedConfirmation(pending.action.kind, pending.target.kind);
  const word = confirmationWord(pending.target);
  const matches = !typedNeeded || confirmationMatches(pending.target, typed);
  const action = actionText(t, pending.action);
  const target = targetText(t, pending.target, names);
  const named = pending.gates.slice(0, NAMED_GATES);
  return (
    <Modal
      open
      title={t('commands.confirmTitle', { action })}
      okText={t('commands.confirmOk')}
      cancelText={tc('actions.cancel')}
      okButtonProps={{
        danger: typedNeeded,
        disabled: !matches || pending.gates.length === 0,
        loading: sending,
      }}
      onOk={onConfirm}
      onCancel={onCancel}
      destroyOnHidden
    >
      <Flex vertical gap={12}>
        {typedNeeded ? (
          <Alert type="warning" showIcon title={t(`actionHelp.${pending.action.kind}`)} />
        ) : (
          <Typography.Paragraph style={{ margin: 0 }}>
            {t('commands.plainConfirm', { action, target })}
          </Typography.Paragraph>
        )}
        <Descriptions
          size="small"
          column={1}
          bordered
          items={[
            { key: 'target', label: t('commands.target'), children: target },
            {
              key: 'count',
              label: t('commands.confirmGates'),
              children: (
                <Flex vertical gap={4}>
                  <strong data-testid="confirm-count">{pending.gates.length}</strong>
                  <Typography.Text type="secondary">
                    {named.map((gate) => localName(gate.name, gate.id)).join('、')}
                    {pending.gates.length > named.length
                      ? ` ${t('commands.confirmMore', { count: pending.gates.length })}`
                      : ''}
                  </Typography.Text>
                  {offline > 0 ? (
                    <Typography.Text type="warning">
                      {t('commands.offlineAmong', { count: offline })}
                    </Typography.Text>
                  ) : null}
                </Flex>
              ),
            },
          ]}
        />
        {typedNeeded ? (
          <Form layout="vertical" onFinish={() => matches && onConfirm()}>
            <Form.Item
              label={
                <span>
                  {t('commands.confirmPrompt')}
                  <Typography.Text code strong data-testid="confirm-word">
                    {word}
                  </Typography.Text>
                </span>
              }
              validateStatus={typed && !matches ? 'error' : undefined}
              help={typed && !matches ? t('commands.confirmMismatch', { word }) : undefined}
              style={{ marginBottom: 0 }}
            >
              <Input
                autoFocus
                value={typed}
                onChange={(event) => setTyped(event.target.value)}
                aria-label={t('commands.confirmTypeLabel')}
                autoComplete="off"
                data-testid="confirm-input"
              />
            </Form.Item>
          </Form>
        ) : null}
      </Flex>
    </Modal>
  );
}
