/**
 * Sales channels (销售渠道): where a ticket is sold, each with its own price. Stable API values — prices, sales
 * and reports store them — so never rename one.
 */
import type { Localized } from '../../platform/language.js';

export const SALES_CHANNELS = ['window', 'online', 'ota', 'agency', 'self_service'] as const;
export type SalesChannel = (typeof SALES_CHANNELS)[number];

export const CHANNEL_NAMES: Readonly<Record<SalesChannel, Localized>> = {
  window: { 'zh-CN': '售票窗口', en: 'ticket window' },
  online: { 'zh-CN': '官方线上（公众号、小程序、官网）', en: 'own online shop' },
  ota: { 'zh-CN': 'OTA 平台', en: 'online travel agency' },
  agency: { 'zh-CN': '旅行社', en: 'travel agency' },
  self_service: { 'zh-CN': '自助售票机', en: 'self-service machine' },
};
