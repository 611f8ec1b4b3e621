import { describe, expect, it } from 'vitest';
import { type TicketTypeTemplate, templateBodies, templateCode, templatePriceFen } from './templates';

const adult: TicketTypeTemplate = {
  key: 'adult',
  name: { 'zh-CN': '成人票', en: 'Adult' },
  description: { 'zh-CN': '全价', en: 'Full price' },
  body: {
    typeId: 1,
    code: 'ADULT',
    name: { zh: '成人票', en: 'Adult' },
    kind: 'single',
    prices: { window: 12_000, online: 11_000 },
  },
};
const tenEntries: TicketTypeTemplate = {
  key: 'count-10',
  name: { 'zh-CN': '十次卡', en: '10-entry card' },
  description: { 'zh-CN': '十次', en: 'Ten entries' },
  body: {
    name: { zh: '十次卡', en: '10-entry card' },
    kind: 'count',
    entries: 10,
    prices: { online: 80_000 },
  },
};

describe('ticket types from templates', () => {
  it('offers the window price for editing, else the first channel’s', () => {
    expect(templatePriceFen(adult)).toBe(12_000);
    expect(templatePriceFen(tenEntries)).toBe(80_000);
  });

  it('derives a code from the key when the template names none', () => {
    expect(templateCode(adult)).toBe('ADULT');
    expect(templateCode(tenEntries)).toBe('COUNT-10');
  });

  it('puts the chosen price on every channel and keeps type ids unique across the installation', () => {
    const bodies = templateBodies(
      'park',
      [
        { template: adult, priceFen: 9_950 },
        { template: tenEntries, priceFen: 60_000 },
      ],
      [1, 7],
    );
    expect(bodies).toEqual([
      {
        siteId: 'park',
        typeId: 8,
        code: 'ADULT',
        name: { zh: '成人票', en: 'Adult' },
        kind: 'single',
        prices: { window: 9_950, online: 9_950 },
      },
      {
        siteId: 'park',
        typeId: 9,
        code: 'COUNT-10',
        name: { zh: '十次卡', en: '10-entry card' },
        kind: 'count',
        entries: 10,
        prices: { online: 60_000 },
      },
    ]);
    expect(templateBodies('park', [{ template: adult, priceFen: 1 }], [])[0]?.typeId).toBe(1);
  });
});
