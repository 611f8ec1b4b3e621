/**
 * Every date the console shows is in the site's time zone (Asia/Shanghai unless the site says otherwise), never the
 * browser's: a control room PC set to UTC must still show the venue's clock. Business days travel as YYYY-MM-DD.
 */
export const DEFAULT_ZONE = 'Asia/Shanghai';

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(zone: string, withSeconds: boolean, withDate: boolean): Intl.DateTimeFormat {
  const key = `${zone}|${withSeconds}|${withDate}`;
  let found = formatters.get(key);
  if (!found) {
    found = new Intl.DateTimeFormat('en-CA', {
      timeZone: zone,
      hourCycle: 'h23',
      ...(withDate ? { year: 'numeric', month: '2-digit', day: '2-digit' } : {}),
      hour: '2-digit',
      minute: '2-digit',
      ...(withSeconds ? { second: '2-digit' } : {}),
    });
    formatters.set(key, found);
  }
  return found;
}

function parts(epochMs: number, zone: string, withSeconds: boolean, withDate: boolean) {
  const out: Record<string, string> = {};
  for (const part of formatter(zone, withSeconds, withDate).formatToParts(new Date(epochMs)))
    out[part.type] = part.value;
  return out;
}

/** 2026-12-07 14:03:09 in the zone. */
export function formatDateTime(epochMs: number, zone = DEFAULT_ZONE): string {
  const p = parts(epochMs, zone, true, true);
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}:${p.second}`;
}

/** 14:03:09 in the zone. */
export function formatTime(epochMs: number, zone = DEFAULT_ZONE): string {
  const p = parts(epochMs, zone, true, false);
  return `${p.hour}:${p.minute}:${p.second}`;
}

/** The business day (YYYY-MM-DD) that contains the instant, in the zone. */
export function businessDay(epochMs: number, zone = DEFAULT_ZONE): string {
  const p = parts(epochMs, zone, false, true);
  return `${p.year}-${p.month}-${p.day}`;
}

export function today(zone = DEFAULT_ZONE): string {
  return businessDay(Date.now(), zone);
}
