/**
 * How reports name the fixed values of the takings (source, method, channel) and their dimensions, in both
 * languages. A channel the catalogue does not know (a partner's own) is shown as recorded.
 */
import type { Localized } from '../../platform/language.js';
import type { TakingMethod, TakingSource } from './contract.js';

export const SOURCE_LABELS: Readonly<Record<TakingSource, Localized>> = {
  sale: { 'zh-CN': '售票', en: 'Sales' },
  refund: { 'zh-CN': '退票', en: 'Refunds' },
  supplement: { 'zh-CN': '补票', en: 'Supplements' },
  order: { 'zh-CN': '团队订单', en: 'Group orders' },
};

export const METHOD_LABELS: Readonly<Record<TakingMethod, Localized>> = {
  cash: { 'zh-CN': '现金', en: 'Cash' },
  bank_card: { 'zh-CN': '银行卡', en: 'Bank card' },
  wechat: { 'zh-CN': '微信支付', en: 'WeChat Pay' },
  alipay: { 'zh-CN': '支付宝', en: 'Alipay' },
  points: { 'zh-CN': '积分抵扣', en: 'Points' },
  agency_account: { 'zh-CN': '旅行社账户', en: 'Agency account' },
};

const CHANNEL_LABELS: Readonly<Record<string, Localized>> = {
  window: { 'zh-CN': '售票窗口', en: 'Ticket window' },
  online: { 'zh-CN': '官方线上', en: 'Online' },
  ota: { 'zh-CN': 'OTA 平台', en: 'OTA' },
  agency: { 'zh-CN': '旅行社', en: 'Travel agency' },
  self_service: { 'zh-CN': '自助售票机', en: 'Self-service' },
  channel_api: { 'zh-CN': '渠道接口', en: 'Channel API' },
};

export function channelLabel(channel: string): Localized {
  return CHANNEL_LABELS[channel] ?? { 'zh-CN': channel, en: channel };
}

/** What a group has when a dimension was not recorded (no window for an online sale, no cashier for a partner). */
export const NONE_LABEL: Localized = { 'zh-CN': '（无）', en: '(none)' };
/** Money recorded without tickets (a fee, a credit): the type dimension's group for it. */
export const NO_TYPE_LABEL: Localized = {
  'zh-CN': '（无票种：手续费等）',
  en: '(no ticket type: fees etc.)',
};
