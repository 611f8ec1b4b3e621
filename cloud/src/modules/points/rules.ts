/**
 * The points arithmetic as pure functions: what a sale earns under a site's rules, how many points pay an amount,
 * when earned points expire, and how much of an accrual a refund takes back. The service reads and writes the rows;
 * these decide. Every result is a whole number of points, rounded in the customer's disfavour only where a fraction
 * of a point would otherwise be given away (earning rounds down).
 */

import { AppError } from '../../platform/errors.js';
import { civilDateOfDayNumber, dayNumberOf } from '../../platform/identity/civil-date.js';
import { instantOf } from '../capacity/local-time.js';
import type { PointsRules } from './schemas.js';

const DAY_MS = 86_400_000;

export interface EarningSale {
  readonly lines: readonly { readonly typeId: number; readonly amountFen: number }[];
  readonly totalFen: number;
  /** Paid by points: earns nothing. */
  readonly pointsFen: number;
  readonly day: number;
  readonly member: boolean;
}

/** The highest date multiplier covering `day` (venue-local), or ×1. */
function dateMultiplier(rules: PointsRules, day: number): number {
  let best = 1_000;
  let found = false;
  for (const range of rules.dateMultipliers) {
    const from = dayNumberOf(parseDate(range.from));
    const to = dayNumberOf(parseDate(range.to));
    if (day >= from && day <= to && (!found || range.permille > best)) {
      best = range.permille;
      found = true;
    }
  }
  return best;
}

function parseDate(text: string) {
  const [year, month, day] = text.split('-').map(Number);
  return { year: year!, month: month!, day: day! };
}

/**
 * Points earned: each line's share of the money actually paid (the total less what points paid, shared in
 * proportion to the lines' amounts) times its type's points per yuan, times the member and date multipliers, rounded
 * down once at the end. BigInt keeps the product exact.
 */
export function pointsEarned(rules: PointsRules, sale: EarningSale): number {
  if (!rules.enabled || sale.totalFen <= 0) return 0;
  const paidFen = BigInt(Math.max(0, sale.totalFen - sale.pointsFen));
  const total = BigInt(sale.totalFen);
  const rates = new Map(rules.typeRates.map((r) => [r.typeId, r.pointsPerYuan]));
  // Σ paid fen × points per yuan, scaled by the total so the shares stay exact.
  let fenRateTimesTotal = 0n;
  for (const line of sale.lines)
    fenRateTimesTotal +=
      BigInt(line.amountFen) * paidFen * BigInt(rates.get(line.typeId) ?? rules.pointsPerYuan);
  const member = BigInt(sale.member ? rules.memberMultiplierPermille : 1_000);
  const date = BigInt(dateMultiplier(rules, sale.day));
  return Number((fenRateTimesTotal * member * date) / (total * 100n * 1_000n * 1_000n));
}

/**
 * The points that pay `fen` at the site's rate: POINTS_NOT_ACCEPTED when the site takes none, POINTS_AMOUNT_INVALID
 * when the amount is not a whole number of points (the cashier enters the amount the points cover).
 */
export function pointsForFen(rules: PointsRules, fen: number): number {
  if (!rules.enabled || rules.redeemPointsPerYuan === null)
    throw new AppError('POINTS_NOT_ACCEPTED', { siteId: rules.siteId });
  const scaled = fen * rules.redeemPointsPerYuan;
  if (scaled % 100 !== 0)
    throw new AppError('POINTS_AMOUNT_INVALID', { amount: fen, rate: rules.redeemPointsPerYuan });
  return scaled / 100;
}

/**
 * When points earned at `at` expire: never; `expiryDays` later; or at the end of the year after the one they were
 * earned in (venue-local: midnight starting 1 January two years on), the common rule of Chinese venues' programmes.
 */
export function expiryOf(rules: PointsRules, at: number, timeZone: string, day: number): number | null {
  if (rules.expiry === 'never') return null;
  if (rules.expiry === 'days') return at + (rules.expiryDays ?? 0) * DAY_MS;
  const { year } = civilDateOfDayNumber(day);
  return instantOf(dayNumberOf({ year: year + 2, month: 1, day: 1 }), 0, timeZone);
}

/**
 * What a refund takes back of a sale's accrual: the refunded tickets' share of the sale's total, counted together
 * with earlier refunds' so that rounding never takes back more than the accrual, and a refund of every ticket takes
 * back exactly all of it.
 */
export function pointsToReverse(
  earned: number,
  saleTotalFen: number,
  before: { readonly basisFen: number; readonly points: number },
  ticketsFen: number,
): { points: number; basisFen: number } {
  if (earned <= 0 || saleTotalFen <= 0) return { points: 0, basisFen: 0 };
  const basisFen = Math.min(ticketsFen, Math.max(0, saleTotalFen - before.basisFen));
  const target = Math.floor((earned * (before.basisFen + basisFen)) / saleTotalFen);
  return { points: Math.max(0, target - before.points), basisFen };
}

/** Points a refund of `fen` of a points payment returns: the same share of what the sale's points paid. */
export function pointsToReturn(
  redeemed: { readonly points: number; readonly fen: number },
  returnedBefore: { readonly points: number; readonly fen: number },
  fen: number,
): number {
  if (redeemed.fen <= 0) return 0;
  const cumulativeFen = Math.min(redeemed.fen, returnedBefore.fen + fen);
  return Math.floor((redeemed.points * cumulativeFen) / redeemed.fen) - returnedBefore.points;
}
