/**
 * The price of one ticket of a version on a channel for a visitor on a visit date — pure, so sales, quotes and
 * tests share it. Age discounts use completed years on the visit date (platform/identity ageOn); group tickets are
 * priced per person and get no age discounts (their visitors are not known one by one).
 */
import { AppError } from '../../platform/errors.js';
import { ageOn, type CivilDate, dayNumberOf, formatIsoDate } from '../../platform/identity/civil-date.js';
import { type AgePolicy, type AgeRule, ageRuleFor, applyAgeRule } from '../venues/age-policy.js';
import { CHANNEL_NAMES, type SalesChannel } from './channels.js';
import type { Quote, TicketTypeVersion } from './schemas.js';

export interface PriceRequest {
  readonly channel: SalesChannel;
  readonly visitDate: CivilDate;
  /** From the ID number or a stated birth date; without it the full price applies. */
  readonly birthDate?: CivilDate;
  /** Group tickets only; defaults to the group's minimum. */
  readonly persons?: number;
}

/** ISO weekday 1–7 of a civil date. 1970-01-01 was a Thursday. */
function isoWeekday(date: CivilDate): number {
  return ((((dayNumberOf(date) + 3) % 7) + 7) % 7) + 1;
}

/** The age policy a version applies: its own rules, the site's, or none. */
export function agePolicyOf(version: TicketTypeVersion, sitePolicy: AgePolicy | null): AgePolicy {
  switch (version.ageDiscounts.source) {
    case 'custom':
      return version.ageDiscounts.rules;
    case 'site':
      return sitePolicy ?? [];
    case 'none':
      return [];
  }
}

export function priceOf(
  version: TicketTypeVersion,
  sitePolicy: AgePolicy | null,
  request: PriceRequest,
): Quote {
  const visitDate = formatIsoDate(request.visitDate);
  const basePriceFen = version.prices[request.channel];
  if (basePriceFen === undefined) {
    throw new AppError('TICKET_TYPE_NOT_ON_CHANNEL', {
      typeId: version.typeId,
      channel: CHANNEL_NAMES[request.channel],
    });
  }
  if ((version.rules.weekdays & (1 << (isoWeekday(request.visitDate) - 1))) === 0)
    throw new AppError('TICKET_TYPE_NOT_VALID_ON_DATE', { typeId: version.typeId, date: visitDate });

  const base = {
    typeId: version.typeId,
    version: version.version,
    channel: request.channel,
    visitDate,
    basePriceFen,
  };
  if (version.kind === 'group') {
    const persons = request.persons ?? version.persons.min;
    if (persons < version.persons.min || persons > version.persons.max)
      throw new AppError('GROUP_SIZE_OUT_OF_RANGE', { ...version.persons, persons });
    return { ...base, persons, priceFen: basePriceFen * persons, age: null, ageRule: null };
  }

  const age = request.birthDate ? ageOn(request.birthDate, request.visitDate) : null;
  const rule: AgeRule | undefined =
    age === null ? undefined : ageRuleFor(agePolicyOf(version, sitePolicy), age);
  return {
    ...base,
    persons: 1,
    priceFen: rule ? applyAgeRule(basePriceFen, rule) : basePriceFen,
    age,
    ageRule: rule ?? null,
  };
}
