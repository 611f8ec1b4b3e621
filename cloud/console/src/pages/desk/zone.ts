/**
 * Business days to instants in a site's time zone, for list filters (`from` inclusive, `to` exclusive, epoch ms):
 * the venue's midnight, never the browser's, so a PC set to another zone still filters the venue's day.
 */
const formatters = new Map<string, Intl.DateTimeFormat>();

function wallClock(epochMs: number, zone: string): number {
  let format = formatters.get(zone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-CA', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(zone, format);
  }
  const p: Record<string, number> = {};
  for (const part of format.formatToParts(new Date(epochMs))) p[part.type] = Number(part.value);
  return Date.UTC(p.year!, p.month! - 1, p.day!, p.hour!, p.minute!, p.second!);
}

/** The instant the day `date` (YYYY-MM-DD) begins in `zone`. */
export function dayStart(date: string, zone: string): number {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!match) throw new Error(`not a date: ${date}`);
  const wall = Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]));
  let guess = wall;
  // Two rounds settle a guess that crossed a daylight-saving change.
  for (let round = 0; round < 2; round++) guess = wall - (wallClock(guess, zone) - guess);
  return guess;
}

/** The day after `date`. */
export function nextDay(date: string): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + 1)).toISOString().slice(0, 10);
}

/** From the start of `from` up to (not including) the start of the day after `to`, in `zone`. */
export function dayRange(from: string, to: string, zone: string): { from: number; to: number } {
  return { from: dayStart(from, zone), to: dayStart(nextDay(to), zone) };
}
