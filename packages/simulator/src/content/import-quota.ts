/**
 * The tenant's daily allowance of app imports (quotas.json reads it). Qlik states the allowance per
 * edition but neither the quota's id, nor when the day starts, nor the answer past it: here the id is
 * `app_imports_per_day`, the day is the UTC day, and the answer is `sim.state.behaviour.importQuotaAnswer`
 * (403 or 429) with code `QUOTA-EXCEEDED`. All three are unverified (registry: quota-app-imports-per-day,
 * apps-import-quota-429).
 */
import type { SimContext } from '../http/types.js';
import { ContentError } from './errors.js';
import type { ContentState } from './state.js';

export const APP_IMPORTS_QUOTA_ID = 'app_imports_per_day';

const DAY_MS = 86_400_000;

const dayOf = (now: number): string => new Date(now).toISOString().slice(0, 10);

/** The start of the next UTC day: when the allowance is full again. */
export const nextReset = (now: number): number => (Math.floor(now / DAY_MS) + 1) * DAY_MS;

export function importAllowance(ctx: SimContext): number {
  const { behaviour } = ctx.sim;
  for (const host of ctx.tenant?.hostnames ?? []) {
    const own = behaviour.appImportsPerDayByHost[host.toLowerCase()];
    if (own !== undefined) return own;
  }
  return behaviour.appImportsPerDay;
}

export function importsToday(state: ContentState, now: number): number {
  return state.importsByDay.get(dayOf(now)) ?? 0;
}

/** Throws the quota answer when today's allowance is used up; call before an import. */
export function checkImportQuota(ctx: SimContext, state: ContentState, now: number): void {
  const allowance = importAllowance(ctx);
  if (importsToday(state, now) < allowance) return;
  throw new ContentError(
    ctx.sim.behaviour.importQuotaAnswer,
    'QUOTA-EXCEEDED',
    'Quota exceeded',
    `The tenant has used its ${allowance} app imports for today; the quota ${APP_IMPORTS_QUOTA_ID} resets at ${new Date(nextReset(now)).toISOString()}.`,
  );
}

/** Counts one import (after it succeeded). */
export function countImport(state: ContentState, now: number): void {
  const day = dayOf(now);
  state.importsByDay.set(day, (state.importsByDay.get(day) ?? 0) + 1);
}
