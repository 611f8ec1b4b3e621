/**
 * Realistic print models for the printing tests and the benchmark: a signed protocol QR credential, a checked
 * 12-digit barcode, and the overlong texts a careless ticket type or holder could bring.
 */
import { encodeQrCredential, generateBarcode, generateSigningKey } from '@scenic/protocol';
import type { ReceiptPrintModel, TicketPrintModel } from '../model.js';

const SHANGHAI_2025_05_01 = Date.UTC(2025, 3, 30, 16); // 2025-05-01 00:00 in Asia/Shanghai
const DAY = 86_400_000;

/**
 * The first base45 character encodes the version and key id bytes: (1·256 + keyId) mod 45 = 36 (a space) for key id
 * 5, so the default sample starts with a space — the case that must reach the printer verbatim.
 */
export function sampleQrText(keyId = 5): string {
  return encodeQrCredential(
    {
      ticketId: 42,
      typeId: 7,
      validFrom: SHANGHAI_2025_05_01,
      validTo: SHANGHAI_2025_05_01 + DAY,
      entries: 1,
      flags: 1,
    },
    generateSigningKey(keyId),
  );
}

export function sampleTicket(overrides: Partial<TicketPrintModel> = {}): TicketPrintModel {
  return {
    timeZone: 'Asia/Shanghai',
    venueName: { zh: '黄山风景区', en: 'Huangshan Scenic Area' },
    ticketTypeName: { zh: '成人票', en: 'Adult' },
    kind: 'single',
    pricePaidFen: 12000,
    validity: { fromMs: SHANGHAI_2025_05_01, toMs: SHANGHAI_2025_05_01 + DAY },
    slot: { fromMs: SHANGHAI_2025_05_01 + 9 * 3_600_000, toMs: SHANGHAI_2025_05_01 + 10 * 3_600_000 },
    holder: { name: '张三', maskedId: '110105********123X' },
    qrText: sampleQrText(),
    barcode: generateBarcode(),
    serial: '1000000042',
    saleId: 'S20250501-0007',
    cashier: '王芳',
    window: '南门 2 号窗口',
    printedAtMs: SHANGHAI_2025_05_01 - 3 * 3_600_000 + 125_000,
    ...overrides,
  };
}

export const OVERLONG = {
  venueZh: '国家级重点风景名胜区暨世界文化与自然双重遗产地黄山风景区南大门游客服务中心',
  typeZh: '成人票（含往返索道、景区环保车、温泉门票及午餐，限五一假期当日使用，不退不换）',
  typeEn: 'Adult ticket including return cable car, eco-bus, hot spring and lunch, valid on the holiday only',
  holder: '阿卜杜热合曼·买买提依明·艾合买提江·吐尔逊',
};

export function sampleReceipt(overrides: Partial<ReceiptPrintModel> = {}): ReceiptPrintModel {
  return {
    timeZone: 'Asia/Shanghai',
    venueName: { zh: '黄山风景区', en: 'Huangshan Scenic Area' },
    saleId: 'S20250501-0007',
    soldAtMs: SHANGHAI_2025_05_01 + 8 * 3_600_000 + 5 * 60_000,
    cashier: '王芳',
    window: '南门 2 号窗口',
    lines: [
      { name: { zh: '成人票', en: 'Adult' }, quantity: 2, unitPriceFen: 12000, amountFen: 24000 },
      { name: { zh: '儿童票（1.2–1.5 米）', en: 'Child' }, quantity: 1, unitPriceFen: 6000, amountFen: 6000 },
    ],
    totalFen: 30000,
    discountFen: 1000,
    payments: [
      { method: 'wechat', amountFen: 9000 },
      { method: 'cash', amountFen: 30000 },
    ],
    changeFen: 10000,
    footer: '门票售出当日有效，未使用可于窗口办理退票。咨询电话 0559-5561111',
    printedAtMs: SHANGHAI_2025_05_01 + 8 * 3_600_000 + 5 * 60_000 + 3000,
    ...overrides,
  };
}
