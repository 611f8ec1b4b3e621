/**
 * Wall-clock times of a site's time zone to epoch ms and back (pure, tested in zoned-time.test.ts). A time range an
 * operator picks ("today 08:00–10:00") means the venue's clock, not the browser's: a control room PC set to UTC must
 * still search Beijing time.
 */
import { formatDateTime } from '../../format/time';

const WALL = /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2}))?)?$/;

/** The zone's offset from UTC at an instant, in ms (Asia/Shanghai: +8 h). */
function offsetAt(epochMs: number, zone: string): number {
  const wall = formatDateTime(epochMs, zone);
  return wallAsUtc(wall) - Math.floor(epochMs / 1000) * 1000;
}

function wallAsUtc(wall: string): number {
  const match = WALL.exec(wall);
  if (!match) throw new Error(`not a wall-clock time: ${wall}`);
  const [, y, mo, d, h = '0', mi = '0', s = '0'] = match;
  return Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s));
}

/**
 * "YYYY-MM-DD HH:mm[:ss]" (or a bare date, its midnight) in the zone → epoch ms. Around a daylight-saving change an
 * hour that does not exist or exists twice maps to one of its readings (Chinese venues have no such change).
 */
export function zonedToEpoch(wall: string, zone: string): number {
  const naive = wallAsUtc(wall);
  const guess = naive - offsetAt(naive, zone);
  return naive - offsetAt(guess, zone);
}

/** The epoch ms as "YYYY-MM-DD HH:mm:ss" on the zone's clock (what a date picker shows). */
export function epochToWall(epochMs: number, zone: string): string {
  return formatDateTime(epochMs, zone);
}

/** One business day of the zone: [midnight, next midnight). */
export function dayRange(date: string, zone: string): { from: number; to: number } {
  const from = zonedToEpoch(date, zone);
  const next = new Date(wallAsUtc(date) + 36 * 3_600_000).toISOString().slice(0, 10);
  return { from, to: zonedToEpoch(next, zone) };
}
