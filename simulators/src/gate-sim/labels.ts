import type { GateMode } from '@scenic/protocol';

/** Mode names as the screens show them, Chinese first. */
export const MODE_LABELS: Record<GateMode, { zh: string; en: string }> = {
  normal: { zh: '正常', en: 'normal' },
  always_open: { zh: '常开', en: 'always open' },
  always_closed: { zh: '常闭', en: 'always closed' },
  emergency_open: { zh: '紧急开启', en: 'emergency open' },
  locked: { zh: '锁定', en: 'locked' },
};
