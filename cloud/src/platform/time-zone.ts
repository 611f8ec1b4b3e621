/** Whether the runtime knows this IANA time zone name (e.g. `Asia/Shanghai`): Intl is the judge. */
export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}
