/**
 * How the control room shows states: always a word and an icon with the colour (never colour alone), codes from the
 * API in the operator's language with the raw code at hand for the technician.
 */
import {
  CheckCircleFilled,
  ClockCircleOutlined,
  CloseCircleFilled,
  DisconnectOutlined,
  ExclamationCircleFilled,
  LoadingOutlined,
  QuestionCircleOutlined,
  WarningFilled,
} from '@ant-design/icons';
import { Tag, Tooltip } from 'antd';
import type { TFunction } from 'i18next';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CommandView } from '../../api/types';
import { elapsed, type Liveness, STALE_AFTER_HEARTBEATS } from './gate-health';

/** The time now, moving every `ms` (relative times and staleness move with it). */
export function useNow(ms = 1_000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = window.setInterval(() => setNow(Date.now()), ms);
    return () => window.clearInterval(timer);
  }, [ms]);
  return now;
}

export function Ago({ at, now }: { at: number | null | undefined; now: number }) {
  const { t } = useTranslation('control');
  if (at === null || at === undefined) return <>{t('elapsed.never')}</>;
  const { unit, count } = elapsed(now - at);
  return <>{t(`elapsed.${unit}`, { count })}</>;
}

const LIVENESS = {
  online: { color: 'success', icon: <CheckCircleFilled /> },
  stale: { color: 'warning', icon: <WarningFilled /> },
  offline: { color: 'error', icon: <DisconnectOutlined /> },
  unknown: { color: 'default', icon: <QuestionCircleOutlined /> },
} as const;

export function LivenessTag({ liveness, heartbeatSec }: { liveness: Liveness; heartbeatSec: number }) {
  const { t } = useTranslation('control');
  const look = LIVENESS[liveness];
  return (
    <Tooltip title={t(`livenessHint.${liveness}`, { seconds: heartbeatSec * STALE_AFTER_HEARTBEATS })}>
      <Tag color={look.color} icon={look.icon} data-testid="gate-liveness" data-liveness={liveness}>
        {t(`liveness.${liveness}`)}
      </Tag>
    </Tooltip>
  );
}

const MODE_COLORS: Record<string, string> = {
  normal: 'blue',
  emergency_open: 'red',
  always_open: 'orange',
  always_closed: 'volcano',
  locked: 'purple',
};

export function modeLabel(t: TFunction<'control'>, mode: string | null): string {
  if (mode === null) return t('gates.modeUnknown');
  return t(`modes.${mode}` as 'modes.normal', { defaultValue: mode });
}

/**
 * The gate's mode. Only a gate that is talking shows it as its mode now; for a silent or offline one it is what the
 * gate last reported, shown grey and labelled so, since nobody knows what the lane does now.
 */
export function ModeTag({ mode, current }: { mode: string | null; current: boolean }) {
  const { t } = useTranslation('control');
  const label = modeLabel(t, mode);
  if (!current)
    return (
      <Tag key="last" variant="outlined" data-testid="gate-mode" data-mode={mode ?? ''} data-current="false">
        {t('gates.lastMode', { mode: label })}
      </Tag>
    );
  return (
    <Tag
      key="current"
      color={MODE_COLORS[mode ?? ''] ?? 'default'}
      data-testid="gate-mode"
      data-mode={mode ?? ''}
      data-current="true"
    >
      {label}
    </Tag>
  );
}

/** A decision reason code in words; unknown codes as they are. */
export function reasonLabel(t: TFunction<'control'>, code: string | null): string {
  if (!code) return '';
  return t(`reasons.${code}` as 'reasons.OK', { defaultValue: code });
}

export function ReasonText({ code }: { code: string | null }) {
  const { t } = useTranslation('control');
  if (!code) return null;
  return (
    <Tooltip title={code}>
      <span>{reasonLabel(t, code)}</span>
    </Tooltip>
  );
}

type GateResult = CommandView['results'][number];

const RESULT_LOOKS = {
  pending: { color: 'processing', icon: <LoadingOutlined /> },
  ok: { color: 'success', icon: <CheckCircleFilled /> },
  rejected: { color: 'warning', icon: <ExclamationCircleFilled /> },
  error: { color: 'error', icon: <CloseCircleFilled /> },
  timeout: { color: 'default', icon: <ClockCircleOutlined /> },
} as const;

export function ResultTag({ result }: { result: Pick<GateResult, 'result' | 'late' | 'gateId'> }) {
  const { t } = useTranslation('control');
  const look = RESULT_LOOKS[result.result];
  return (
    <span data-testid={`result-${result.gateId}`} data-result={result.result} data-late={result.late}>
      <Tag color={look.color} icon={look.icon}>
        {t(`results.${result.result}`)}
      </Tag>
      {result.late ? <Tag icon={<ClockCircleOutlined />}>{t('results.late')}</Tag> : null}
    </span>
  );
}

/** A gate's reason for refusing a command (`expired`, `unsupported`, or its own short text). */
export function commandReason(t: TFunction<'control'>, reason: string | null): string {
  if (!reason) return '';
  return t(`commandReasons.${reason}` as 'commandReasons.expired', { defaultValue: reason });
}

/** An offline conflict's tag: the reason the cloud would have refused the passage, and its overdraft if any. */
export function ConflictTag({ code, overdraft }: { code: string | null; overdraft: number }) {
  const { t } = useTranslation('control');
  if (!code) return null;
  const reason = reasonLabel(t, code);
  return (
    <Tooltip title={t('passages.conflictHint', { reason: `${reason} · ${code}` })}>
      <Tag color="volcano" icon={<WarningFilled />} data-testid="conflict-tag">
        {t('passages.conflict', { reason })}
        {overdraft > 0 ? ` · ${t('passages.overdraft', { count: overdraft })}` : ''}
      </Tag>
    </Tooltip>
  );
}
