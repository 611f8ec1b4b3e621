/**
 * Ticket-type templates (GET /api/v1/ticket-types/templates: 成人票, 儿童票, 老人票, 十次卡, 月卡, 季卡, 年卡) turned into
 * the bodies of POST /api/v1/ticket-types for one site, with the price the administrator chose. A template's
 * type id and code are kept unless another type already uses them (type ids are unique installation-wide, codes
 * within a site).
 */
import type { CreateTicketType } from '../../../api/types';

export interface Localized {
  readonly 'zh-CN': string;
  readonly en: string;
}

export type TemplateBody = Omit<CreateTicketType, 'siteId' | 'typeId' | 'code'> & {
  readonly typeId?: number;
  readonly code?: string;
};

export interface TicketTypeTemplate {
  readonly key: string;
  readonly name: Localized;
  readonly description: Localized;
  readonly body: TemplateBody;
}

export const MAX_TYPE_ID = 65_535;

/** The price shown for editing: the window price, else the first channel's. */
export function templatePriceFen(template: TicketTypeTemplate): number {
  const prices = template.body.prices as Partial<Record<string, number>>;
  return prices.window ?? Object.values(prices).find((fen) => fen !== undefined) ?? 0;
}

/** The type code a template creates in a site. */
export function templateCode(template: TicketTypeTemplate): string {
  return (template.body.code ?? template.key.toUpperCase()).replace(/[^A-Za-z0-9_.-]/g, '_').slice(0, 64);
}

/**
 * The bodies to POST, in order: every channel the template sells on gets the chosen price; a type id already in
 * use (or missing) becomes the lowest id above every one in use.
 */
export function templateBodies(
  siteId: string,
  chosen: readonly { template: TicketTypeTemplate; priceFen: number }[],
  usedTypeIds: Iterable<number>,
): CreateTicketType[] {
  const used = new Set(usedTypeIds);
  return chosen.map(({ template, priceFen }) => {
    const { typeId: preferred, code: _code, ...definition } = template.body;
    let typeId = preferred;
    if (typeId === undefined || used.has(typeId)) {
      typeId = Math.max(0, ...used) + 1;
      if (typeId > MAX_TYPE_ID) throw new RangeError('no free ticket type id');
    }
    used.add(typeId);
    const channels = Object.keys(template.body.prices) as (keyof CreateTicketType['prices'])[];
    return {
      ...definition,
      siteId,
      typeId,
      code: templateCode(template),
      prices: Object.fromEntries(channels.map((channel) => [channel, priceFen])),
    };
  });
}
