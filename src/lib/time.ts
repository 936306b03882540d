/** Injected clock, so services and tests agree on "now" (deadlines, lockouts, token expiry). */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

export const HOUR_MS = 3_600_000;
export const MINUTE_MS = 60_000;

export function addMs(date: Date, ms: number): Date {
  return new Date(date.getTime() + ms);
}

/** Adds calendar months in UTC, clamping to the month's last day (Jan 31 + 1 month = Feb 28/29). */
export function addMonths(date: Date, months: number): Date {
  const d = new Date(date.getTime());
  const day = d.getUTCDate();
  d.setUTCDate(1);
  d.setUTCMonth(d.getUTCMonth() + months);
  const last = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).getUTCDate();
  d.setUTCDate(Math.min(day, last));
  return d;
}

/** The year of a date in the deployment's time zone (tracking numbers count per local year). */
const yearFormats = new Map<string, Intl.DateTimeFormat>();
export function yearInZone(date: Date, timeZone: string): number {
  // Building an Intl formatter costs far more than using one: keep one per zone.
  let f = yearFormats.get(timeZone);
  if (!f) yearFormats.set(timeZone, (f = new Intl.DateTimeFormat('en', { timeZone, year: 'numeric' })));
  return Number(f.format(date));
}
