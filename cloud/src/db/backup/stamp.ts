/**
 * Backup times as the venue's staff read them: the venue's wall clock with its UTC offset written out, so a file
 * name or a manifest means the same instant wherever it is read (a copy on another machine, a support ticket).
 */

export interface LocalStamp {
  /** `2026-12-12T15:30:12.345+08:00`: ISO 8601 in the venue's zone, offset included. */
  readonly iso: string;
  /** `20261212-153012+0800`: for file names (no colons, sorts by time within one zone). */
  readonly compact: string;
}

export function localStamp(epochMs: number, timeZone: string): LocalStamp {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23',
    timeZoneName: 'longOffset',
  }).formatToParts(new Date(epochMs));
  const part = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? '';
  // `GMT+08:00`, or plain `GMT` for a zero offset.
  const offset = /^GMT([+-]\d{2}:\d{2})$/.exec(part('timeZoneName'))?.[1] ?? '+00:00';
  const millis = String(((epochMs % 1000) + 1000) % 1000).padStart(3, '0');
  const [y, mo, d, h, mi, s] = [
    part('year'),
    part('month'),
    part('day'),
    part('hour'),
    part('minute'),
    part('second'),
  ];
  return {
    iso: `${y}-${mo}-${d}T${h}:${mi}:${s}.${millis}${offset}`,
    compact: `${y}${mo}${d}-${h}${mi}${s}${offset.replace(':', '')}`,
  };
}
