/**
 * Reload schedules: the next occurrence of a reload task's RFC 5545 recurrence in its time zone.
 *
 * Supported: `RRULE:` with FREQ=MINUTELY|HOURLY|DAILY|WEEKLY, INTERVAL, BYDAY (MO..SU), BYHOUR,
 * BYMINUTE, COUNT is ignored, UNTIL and the task's `endDateTime` end it. The anchor is the task's
 * `startDateTime` (wall-clock time in `timeZone`) or its creation time. Rules are expanded in local
 * wall-clock time and converted to instants with the zone's offset, so daylight saving is respected.
 */
import { badRequestError } from './errors.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const WEEKDAYS = ['SU', 'MO', 'TU', 'WE', 'TH', 'FR', 'SA'] as const;

export interface RecurrenceRule {
  freq: 'MINUTELY' | 'HOURLY' | 'DAILY' | 'WEEKLY';
  interval: number;
  byDay: number[] | undefined;
  byHour: number[] | undefined;
  byMinute: number[] | undefined;
  until: number | undefined;
}

function numbers(value: string, min: number, max: number, name: string): number[] {
  const list = value.split(',').map(Number);
  if (list.some((n) => !Number.isInteger(n) || n < min || n > max))
    throw badRequestError(`${name} must list integers from ${min} to ${max}`);
  return [...new Set(list)].sort((a, b) => a - b);
}

/** Parses the first `RRULE:` line; undefined when there is none (a task without recurrence never fires). */
export function parseRecurrence(lines: readonly string[]): RecurrenceRule | undefined {
  const line = lines.find((l) => l.toUpperCase().startsWith('RRULE:'));
  if (!line) return undefined;
  const fields = new Map(
    line
      .slice(6)
      .split(';')
      .filter(Boolean)
      .map((part) => {
        const [k, v] = part.split('=');
        return [(k ?? '').toUpperCase(), v ?? ''] as const;
      }),
  );
  const freq = fields.get('FREQ')?.toUpperCase();
  if (freq !== 'MINUTELY' && freq !== 'HOURLY' && freq !== 'DAILY' && freq !== 'WEEKLY') {
    throw badRequestError('RRULE FREQ must be MINUTELY, HOURLY, DAILY or WEEKLY in the simulator');
  }
  const interval = fields.has('INTERVAL') ? Number(fields.get('INTERVAL')) : 1;
  if (!Number.isInteger(interval) || interval < 1) throw badRequestError('RRULE INTERVAL must be a positive integer');
  const byDayRaw = fields.get('BYDAY');
  const byDay = byDayRaw?.split(',').map((d) => {
    const index = WEEKDAYS.indexOf(d.toUpperCase() as (typeof WEEKDAYS)[number]);
    if (index < 0) throw badRequestError(`RRULE BYDAY value ${d} is not MO, TU, WE, TH, FR, SA or SU`);
    return index;
  });
  const untilRaw = fields.get('UNTIL');
  const until = untilRaw
    ? Date.parse(untilRaw.replace(/^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})(Z?)$/, '$1-$2-$3T$4:$5:$6$7'))
    : undefined;
  if (until !== undefined && Number.isNaN(until))
    throw badRequestError('RRULE UNTIL must be a date-time such as 20261231T000000Z');
  return {
    freq,
    interval,
    byDay,
    byHour: fields.has('BYHOUR') ? numbers(fields.get('BYHOUR') ?? '', 0, 23, 'BYHOUR') : undefined,
    byMinute: fields.has('BYMINUTE') ? numbers(fields.get('BYMINUTE') ?? '', 0, 59, 'BYMINUTE') : undefined,
    until,
  };
}

/** The wall-clock time of `instant` in `timeZone`, as a naive UTC timestamp. */
function toLocal(instant: number, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(new Date(instant));
  const get = (type: string): number => Number(parts.find((p) => p.type === type)?.value ?? 0);
  return Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
}

/** The instant at which the wall clock of `timeZone` shows `local` (naive UTC timestamp). */
function toInstant(local: number, timeZone: string): number {
  let guess = local - (toLocal(local, timeZone) - local);
  guess = local - (toLocal(guess, timeZone) - guess);
  return guess;
}

/** Parses `startDateTime` (with or without an offset); without one it is wall-clock time in `timeZone`. */
export function anchorInstant(startDateTime: string | undefined, timeZone: string, fallback: number): number {
  if (!startDateTime) return fallback;
  if (/[zZ]|[+-]\d{2}:?\d{2}$/.test(startDateTime)) return Date.parse(startDateTime);
  const naive = Date.parse(`${startDateTime}Z`);
  return Number.isNaN(naive) ? fallback : toInstant(naive, timeZone);
}

/** The first occurrence strictly after `after`, or undefined (no rule, or past UNTIL / `end`). */
export function nextOccurrence(
  rule: RecurrenceRule,
  options: { anchor: number; timeZone: string; after: number; end?: number | undefined },
): number | undefined {
  const { timeZone } = options;
  const anchorLocal = Math.floor(toLocal(options.anchor, timeZone) / MINUTE) * MINUTE;
  const anchorDate = new Date(anchorLocal);
  const minutes = rule.byMinute ?? [anchorDate.getUTCMinutes()];
  const hours =
    rule.byHour ?? (rule.freq === 'DAILY' || rule.freq === 'WEEKLY' ? [anchorDate.getUTCHours()] : undefined);
  const days = rule.byDay ?? (rule.freq === 'WEEKLY' ? [anchorDate.getUTCDay()] : undefined);
  const periodMs = { MINUTELY: MINUTE, HOURLY: HOUR, DAILY: DAY, WEEKLY: 7 * DAY }[rule.freq] * rule.interval;
  // Start of the anchor's period in local time (the week starts on Monday).
  let periodStart =
    rule.freq === 'MINUTELY'
      ? anchorLocal
      : rule.freq === 'HOURLY'
        ? anchorLocal - (anchorLocal % HOUR)
        : anchorLocal - (anchorLocal % DAY) - (rule.freq === 'WEEKLY' ? ((anchorDate.getUTCDay() + 6) % 7) * DAY : 0);
  const afterLocal = toLocal(options.after, timeZone);
  if (afterLocal > periodStart + periodMs)
    periodStart += Math.floor((afterLocal - periodStart) / periodMs - 1) * periodMs;
  const limit = [rule.until, options.end].filter((x): x is number => x !== undefined);
  for (let guard = 0; guard < 10_000; guard += 1, periodStart += periodMs) {
    const candidates: number[] = [];
    if (rule.freq === 'MINUTELY') candidates.push(periodStart);
    else if (rule.freq === 'HOURLY') for (const m of minutes) candidates.push(periodStart + m * MINUTE);
    else {
      const dayStarts =
        rule.freq === 'WEEKLY' ? [0, 1, 2, 3, 4, 5, 6].map((d) => periodStart + d * DAY) : [periodStart];
      for (const day of dayStarts)
        for (const h of hours ?? [0]) for (const m of minutes) candidates.push(day + h * HOUR + m * MINUTE);
    }
    for (const local of candidates.sort((a, b) => a - b)) {
      const date = new Date(local);
      if (local < anchorLocal) continue;
      if (hours && rule.freq !== 'DAILY' && rule.freq !== 'WEEKLY' && !hours.includes(date.getUTCHours())) continue;
      if (rule.freq === 'MINUTELY' && rule.byMinute && !rule.byMinute.includes(date.getUTCMinutes())) continue;
      if (days && !days.includes(date.getUTCDay())) continue;
      const instant = toInstant(local, timeZone);
      if (instant <= options.after) continue;
      if (limit.some((end) => instant > end)) return undefined;
      return instant;
    }
  }
  return undefined;
}
