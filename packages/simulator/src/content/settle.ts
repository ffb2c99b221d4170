/**
 * Brings a tenant's content up to date with the clock before it is read: due scheduling tasks start
 * their runs, then due reload tasks fire and every active reload moves on.
 */
import type { Databases } from '../engine/script/databases.js';
import { settleReloads } from './reload-runner.js';
import { fireDueSchedulingTasks } from './scheduling-tasks.js';
import type { ContentState } from './state.js';

/** With `databases`, reloads that have started run before it resolves (see `settleReloads`). */
export function settleContent(state: ContentState, now: number, databases?: Databases): Promise<void> {
  fireDueSchedulingTasks(state, now);
  return settleReloads(state, now, databases);
}
