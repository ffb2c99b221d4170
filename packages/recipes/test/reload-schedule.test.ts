import { describe, expect, it } from 'vitest';
import { parseInput } from '../src/validation/parse.js';
import { reloadScheduleSchema } from '../src/recipes/hydrate/reload-schedule-input.js';
import {
  RELOAD_SCHEDULE_ANNOTATION,
  reloadScheduleTask,
  scheduleDefinition,
  scheduleDifferences,
} from '../src/recipes/hydrate/reload-schedule.js';

const parse = (value: unknown) => parseInput(reloadScheduleSchema, value, { label: 'reload schedule' });

describe('reloadScheduleSchema', () => {
  it('accepts an RRULE line (normalised to upper case) and an IANA time zone; enabled defaults to true', () => {
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
    expect(() => parse({ recurrence: ['RRULE:FREQ=DAILY', 'RRULE:FREQ=WEEKLY'], timeZone: 'Europe/Zurich' })).toThrow(
      /recurrence: must have one RRULE line/,
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

describe('the scheduling task of a reload schedule', () => {
  const schedule = parse({ recurrence: ['RRULE:FREQ=DAILY;BYHOUR=6;BYMINUTE=0'], timeZone: 'Europe/Zurich' });
  const definition = scheduleDefinition(schedule);
  const task = (extra: Record<string, unknown> = {}) => ({
    ...reloadScheduleTask('app-1', definition, [RELOAD_SCHEDULE_ANNOTATION]),
    id: 't1',
    resourceId: 'app-1',
    ...extra,
  });

  it('reloads the app on the recurrence, in the time zone, with the SDK annotation', () => {
    const document = reloadScheduleTask('app-1', definition, [RELOAD_SCHEDULE_ANNOTATION]);
    expect(document).toMatchObject({
      enabled: true,
      annotations: [RELOAD_SCHEDULE_ANNOTATION],
      start: { schedule: { recurrence: 'RRULE:FREQ=DAILY;BYHOUR=6;BYMINUTE=0', timezone: 'Europe/Zurich' } },
    });
    expect(JSON.stringify(document.states)).toContain('"refName":"app.reload","arguments":{"appId":"app-1"');
  });

  it('has no differences from its own definition; a start that was not asked for is not one', () => {
    expect(scheduleDifferences(task(), definition)).toEqual([]);
    const started = reloadScheduleTask('app-1', { ...definition, startDateTime: '2026-01-01T06:00:00' }, []);
    expect(scheduleDifferences({ ...started, id: 't1' }, definition)).toEqual([]);
  });

  it('names what differs', () => {
    expect(scheduleDifferences(task(), { ...definition, recurrence: 'RRULE:FREQ=DAILY;BYHOUR=7;BYMINUTE=0' })).toEqual([
      'recurrence',
    ]);
    expect(scheduleDifferences(task(), { ...definition, timeZone: 'UTC', enabled: false })).toEqual([
      'timeZone',
      'enabled',
    ]);
    expect(scheduleDifferences(task(), { ...definition, startDateTime: '2026-02-01T06:00:00' })).toEqual([
      'startDateTime',
    ]);
  });
});
