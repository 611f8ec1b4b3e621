/**
 * Capacity alert levels (80 / 90 / 95 % of capacity) with hysteresis: a level is reached as soon as occupancy gets
 * to its threshold, but left only when occupancy falls `hysteresisPct` points below it, so a crowd hovering around
 * 80 % raises one alert instead of one per passage.
 */
export const ALERT_LEVELS = [80, 90, 95] as const;
export type AlertLevel = 0 | (typeof ALERT_LEVELS)[number];

export function nextLevel(
  current: number,
  inside: number,
  capacity: number | null,
  hysteresisPct: number,
): AlertLevel {
  if (capacity === null || capacity <= 0) return 0;
  const pct = (inside * 100) / capacity;
  let reached: AlertLevel = 0;
  for (const level of ALERT_LEVELS) if (pct >= level) reached = level;
  if (reached >= current) return reached;
  // Falling: keep the highest level not above the current one whose band (threshold − hysteresis) still holds.
  let kept: AlertLevel = 0;
  for (const level of ALERT_LEVELS) if (level <= current && pct >= level - hysteresisPct) kept = level;
  return kept;
}
