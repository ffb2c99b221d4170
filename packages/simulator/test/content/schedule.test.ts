import { describe, expect, it } from 'vitest';
import { anchorInstant, nextOccurrence, parseRecurrence } from '../../src/content/schedule.js';

const at = (iso: string): number => Date.parse(iso);
const next = (rrule: string, options: { anchor: string; timeZone: string; after: string; end?: string }) => {
  const rule = parseRecurrence([rrule]);
  if (!rule) throw new Error('no rule');
  const result = nextOccurrence(rule, {
    anchor: at(options.anchor),
    timeZone: options.timeZone,
    after: at(options.after),
    ...(options.end ? { end: at(options.end) } : {}),
  });
  return result === undefined ? undefined : new Date(result).toISOString();
};

describe('reload schedules', () => {
  it('fires daily at BYHOUR/BYMINUTE in the task time zone, across a DST change', () => {
    const rule = 'RRULE:FREQ=DAILY;BYHOUR=2;BYMINUTE=30';
    expect(
      next(rule, { anchor: '2026-03-01T00:00:00Z', timeZone: 'Europe/Paris', after: '2026-03-10T12:00:00Z' }),
    ).toBe('2026-03-11T01:30:00.000Z');
    // After the switch to summer time (29 March 2026), 02:30 Paris is 00:30 UTC.
    expect(
      next(rule, { anchor: '2026-03-01T00:00:00Z', timeZone: 'Europe/Paris', after: '2026-04-10T12:00:00Z' }),
    ).toBe('2026-04-11T00:30:00.000Z');
  });

  it('honours INTERVAL counted from the anchor', () => {
    const rule = 'RRULE:FREQ=HOURLY;INTERVAL=6;BYMINUTE=0';
    expect(next(rule, { anchor: '2026-01-01T00:00:00Z', timeZone: 'UTC', after: '2026-01-01T01:00:00Z' })).toBe(
      '2026-01-01T06:00:00.000Z',
    );
    expect(next(rule, { anchor: '2026-01-01T00:00:00Z', timeZone: 'UTC', after: '2026-01-20T13:00:00Z' })).toBe(
      '2026-01-20T18:00:00.000Z',
    );
    expect(
      next('RRULE:FREQ=MINUTELY;INTERVAL=15', {
        anchor: '2026-01-01T00:05:00Z',
        timeZone: 'UTC',
        after: '2026-01-01T00:06:00Z',
      }),
    ).toBe('2026-01-01T00:20:00.000Z');
  });

  it('picks weekdays for WEEKLY with BYDAY', () => {
    // 2026-01-02 is a Friday; the next MO/WE at 07:00 New York is Monday the 5th, 12:00 UTC.
    expect(
      next('RRULE:FREQ=WEEKLY;BYDAY=MO,WE;BYHOUR=7;BYMINUTE=0', {
        anchor: '2026-01-01T00:00:00Z',
        timeZone: 'America/New_York',
        after: '2026-01-02T00:00:00Z',
      }),
    ).toBe('2026-01-05T12:00:00.000Z');
  });

  it('stops at UNTIL and at the end date', () => {
    expect(
      next('RRULE:FREQ=DAILY;BYHOUR=1;UNTIL=20260105T000000Z', {
        anchor: '2026-01-01T00:00:00Z',
        timeZone: 'UTC',
        after: '2026-01-05T00:00:00Z',
      }),
    ).toBeUndefined();
    expect(
      next('RRULE:FREQ=DAILY;BYHOUR=1', {
        anchor: '2026-01-01T00:00:00Z',
        timeZone: 'UTC',
        after: '2026-01-03T02:00:00Z',
        end: '2026-01-03T12:00:00Z',
      }),
    ).toBeUndefined();
  });

  it('reads a start time without offset as wall-clock time in the zone', () => {
    expect(new Date(anchorInstant('2026-07-01T09:00:00', 'Europe/Paris', 0)).toISOString()).toBe(
      '2026-07-01T07:00:00.000Z',
    );
    expect(new Date(anchorInstant('2026-07-01T09:00:00Z', 'Europe/Paris', 0)).toISOString()).toBe(
      '2026-07-01T09:00:00.000Z',
    );
  });

  it('refuses rules it cannot run', () => {
    expect(() => parseRecurrence(['RRULE:FREQ=YEARLY'])).toThrow(/FREQ/);
    expect(() => parseRecurrence(['RRULE:FREQ=DAILY;BYHOUR=25'])).toThrow(/BYHOUR/);
    expect(() => parseRecurrence(['RRULE:FREQ=WEEKLY;BYDAY=XX'])).toThrow(/BYDAY/);
    expect(parseRecurrence([])).toBeUndefined();
  });
});
