// The reload schedule input schema of hydrateFromTemplate, loaded on first validation.
import { z } from 'zod';

const RRULE = /^RRULE:(?=.*\bFREQ=[A-Z]+)[A-Z0-9=;,:+-]+$/;

function isIanaTimeZone(value: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: value });
    return true;
  } catch {
    return false;
  }
}

const dateTime = z
  .string({ error: 'must be a string' })
  .refine((value) => !Number.isNaN(Date.parse(value)), 'must be a date-time such as "2026-01-01T06:00:00"');

/** A reload schedule for the customer's published app (a task of Qlik's Scheduling Tasks API). */
export const reloadScheduleSchema = z.object({
  /** One RFC 5545 recurrence line, e.g. `['RRULE:FREQ=DAILY;BYHOUR=6;BYMINUTE=0']` (no DTSTART/DTEND). */
  recurrence: z
    .array(
      z
        .string({ error: 'must be a string' })
        .trim()
        .toUpperCase()
        .regex(RRULE, 'must be an RRULE line such as "RRULE:FREQ=DAILY;BYHOUR=6;BYMINUTE=0"'),
      { error: 'must be a list of RRULE lines' },
    )
    .min(1, 'must have at least one RRULE line')
    .max(1, 'must have one RRULE line: a scheduling task takes one recurrence rule'),
  /** IANA time zone the recurrence is expanded in, e.g. `Europe/Zurich`. */
  timeZone: z
    .string({ error: 'must be a string' })
    .trim()
    .refine(isIanaTimeZone, 'must be an IANA time zone such as "Europe/Zurich"'),
  /** First occurrence, wall-clock time in `timeZone` (`2026-01-01T06:00:00`); default: when created. */
  startDateTime: dateTime.optional(),
  /** When the schedule stops, wall-clock time in `timeZone`; default: never. */
  endDateTime: dateTime.optional(),
  /** Default true. A disabled schedule is kept, but does not fire. */
  enabled: z.boolean({ error: 'must be true or false' }).default(true),
});

export type ReloadSchedule = z.output<typeof reloadScheduleSchema>;
export type ReloadScheduleInput = z.input<typeof reloadScheduleSchema>;
