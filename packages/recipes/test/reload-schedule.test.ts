import { describe, expect, it } from 'vitest';
import { parseInput } from '../src/validation/parse.js';
import { reloadScheduleSchema, scheduleDifferences, type ReloadTask } from '../src/recipes/reload-schedule.js';

const task = (fields: Partial<ReloadTask>): ReloadTask =>
  ({
    id: 't1',
    appId: 'app',
    jobId: 't1',
    userId: 'u',
    tenantId: 'tn',
    timeZone: 'Europe/Zurich',
    recurrence: ['RRULE:FREQ=DAILY;BYHOUR=6;BYMINUTE=0'],
    state: 'Enabled',
    links: { self: { href: 'https://x/api/v1/reload-tasks/t1' } },
    ...fields,
  }) as ReloadTask;

const parse = (value: unknown) => parseInput(reloadScheduleSchema, value, { label: 'reload schedule' });

describe('reloadScheduleSchema', () => {
  it('accepts RRULE lines (normalised to upper case) and an IANA time zone; enabled defaults to true', () => {
    expect(parse({ recurrence: ['rrule:freq=weekly;byday=mo,we'], timeZone: 'America/New_York' })).toEqual({
      recurrence: ['RRULE:FREQ=WEEKLY;BYDAY=MO,WE'],
      timeZone: 'America/New_York',
      enabled: true,
    });
  });

  it('names each bad field', () => {
    expect(() => parse({ recurrence: [], timeZone: 'Europe/Zurich' })).toThrow(
      /recurrence: must have at least one RRULE line/,
    );
    expect(() => parse({ recurrence: ['DTSTART:20260101T000000Z'], timeZone: 'Europe/Zurich' })).toThrow(
      /recurrence\[0\]: must be an RRULE line/,
    );
    expect(() => parse({ recurrence: ['RRULE:INTERVAL=2'], timeZone: 'Europe/Zurich' })).toThrow(
      /recurrence\[0\]: must be an RRULE line/,
    );
    expect(() => parse({ recurrence: ['RRULE:FREQ=DAILY'], timeZone: 'Europe/Nowhere' })).toThrow(
      /timeZone: must be an IANA time zone/,
    );
    expect(() => parse({ recurrence: ['RRULE:FREQ=DAILY'], timeZone: 'UTC', startDateTime: 'tomorrow' })).toThrow(
      /startDateTime: must be a date-time/,
    );
  });
});

describe('scheduleDifferences', () => {
  const schedule = parse({ recurrence: ['RRULE:FREQ=DAILY;BYHOUR=6;BYMINUTE=0'], timeZone: 'Europe/Zurich' });

  it('is empty when the task already is the schedule', () => {
    expect(scheduleDifferences(task({}), schedule)).toEqual([]);
    // A start that was not asked for is not a difference.
    expect(scheduleDifferences(task({ startDateTime: '2026-01-01T06:00:00' }), schedule)).toEqual([]);
  });

  it('names what differs', () => {
    expect(scheduleDifferences(task({ recurrence: ['RRULE:FREQ=DAILY;BYHOUR=7;BYMINUTE=0'] }), schedule)).toEqual([
      'recurrence',
    ]);
    expect(scheduleDifferences(task({ recurrence: [...schedule.recurrence, 'RRULE:FREQ=WEEKLY'] }), schedule)).toEqual([
      'recurrence',
    ]);
    expect(scheduleDifferences(task({ timeZone: 'UTC', state: 'Disabled' }), schedule)).toEqual(['timeZone', 'state']);
    expect(scheduleDifferences(task({}), { ...schedule, startDateTime: '2026-02-01T06:00:00' })).toEqual([
      'startDateTime',
    ]);
  });
});
