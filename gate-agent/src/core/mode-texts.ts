import type { GateMode, Language, LedLines } from '@scenic/protocol';
import { reasonTexts } from '@scenic/protocol';

/** What the LED shows between scans in each mode, per language. */
const IDLE: Record<GateMode, Record<Language, LedLines>> = {
  normal: { zh: ['欢迎光临', '请扫码或刷卡'], en: ['Welcome', 'Scan or tap card'] },
  always_open: { zh: ['通道常开', '请通行'], en: ['Gate open', 'Please pass'] },
  emergency_open: { zh: ['紧急疏散', '通道已全部打开'], en: ['EMERGENCY', 'All gates open'] },
  always_closed: { zh: reasonTexts('GATE_CLOSED').led.zh, en: reasonTexts('GATE_CLOSED').led.en },
  locked: { zh: reasonTexts('GATE_LOCKED').led.zh, en: reasonTexts('GATE_LOCKED').led.en },
};

export function idleLed(mode: GateMode, language: Language): LedLines {
  return IDLE[mode][language];
}

/** Spoken once when the gate enters emergency open. */
export const EMERGENCY_VOICE: Record<Language, string> = {
  zh: '紧急疏散，通道已打开，请有序离开',
  en: 'Emergency, the gates are open, please leave calmly',
};

/** Shown when a credential has no permission here and the gate leaves the decision to staff. */
export function staffCheckLed(typeName: { zh: string; en: string } | null, language: Language): LedLines {
  const name = typeName?.[language] ?? (language === 'zh' ? '无通行权限' : 'Not valid here');
  return language === 'zh' ? [name, '请工作人员核验'] : [name, 'Staff check'];
}

/** Shown after a card read failed half-way (moved too fast, two cards). */
export const CARD_RETRY: Record<Language, { led: LedLines; voice: string }> = {
  zh: { led: ['读卡失败', '请重新刷卡'], voice: '请重新刷卡' },
  en: { led: ['Card not read', 'Tap again'], voice: 'Please tap your card again' },
};
