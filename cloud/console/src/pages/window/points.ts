/**
 * Points as a tender at the window (积分抵扣), by the API's rule (cloud/src/modules/points/rules.ts pointsForFen): the
 * site's `redeemPointsPerYuan` points pay one yuan, and an amount is payable only when it takes a whole number of
 * points — fen × rate / 100 — so with 10 points a yuan the amount goes in steps of ¥0.10.
 */

export interface PointsOffer {
  /** Points that pay one yuan (the site's redeemPointsPerYuan). */
  readonly rate: number;
  /** The customer's points available. */
  readonly balance: number;
}

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}

/** The smallest amount, fen, that whole points pay (and every payable amount is a multiple of it). */
export function stepFen(rate: number): number {
  return 100 / gcd(rate, 100);
}

/** The points that pay `fen`; null when no whole number of points does. */
export function pointsForFen(fen: number, rate: number): number | null {
  const scaled = fen * rate;
  return scaled % 100 === 0 ? scaled / 100 : null;
}

/** The most, fen, the customer's points can pay of `dueFen` (a payable amount, so possibly a little less). */
export function maxPointsFen(offer: PointsOffer, dueFen: number): number {
  if (offer.balance <= 0 || dueFen <= 0) return 0;
  const step = stepFen(offer.rate);
  const covered = Math.floor((offer.balance * 100) / offer.rate);
  return Math.floor(Math.min(dueFen, covered) / step) * step;
}

export type PointsProblem = 'points_step' | 'points_balance';

/** What is wrong with paying `fen` by points: not a whole number of points, or more than the balance. */
export function pointsProblem(fen: number, offer: PointsOffer): PointsProblem | null {
  if (fen === 0) return null;
  const points = pointsForFen(fen, offer.rate);
  if (points === null) return 'points_step';
  return points > offer.balance ? 'points_balance' : null;
}
