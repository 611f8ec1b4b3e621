import type { GateMode } from '@scenic/protocol';

/** Mode names as the screens show them, Chinese first. */
export const MODE_LABELS: Record<GateMode, { zh: string; en: string }> = {
  normal: { zh: '正常', en: 'normal' },
  always_open: { zh: '常开', en: 'always open' },
  always_closed: { zh: '常闭', en: 'always closed' },
  emergency_open: { zh: '紧急开启', en: 'emergency open' },
  locked: { zh: '锁定', en: 'locked' },
};

/**
 * The lane's devices as the screens list them, with the names the agent reports as degraded: device roles, and
 * `passage.in` / `passage.out` for a stuck passage input.
 */
export const DEVICE_LABELS: readonly { id: string; zh: string; en: string }[] = [
  { id: 'scanner', zh: '扫码器', en: 'scanner' },
  { id: 'cardReader', zh: '读卡器', en: 'card reader' },
  { id: 'led', zh: '显示屏', en: 'LED' },
  { id: 'voice', zh: '语音', en: 'voice' },
  { id: 'recycler', zh: '回收器', en: 'recycler' },
  { id: 'passage.in', zh: '入口通道', en: 'passage in' },
  { id: 'passage.out', zh: '出口通道', en: 'passage out' },
];

/** What a device's status means on screen. */
export const DEVICE_STATUS_LABELS = {
  ok: { zh: '正常', en: 'ok' },
  degraded: { zh: '降级', en: 'degraded' },
  stuck: { zh: '卡住', en: 'stuck' },
} as const;
