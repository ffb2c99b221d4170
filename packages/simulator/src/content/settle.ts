/**
 * Brings a tenant's content up to date with the clock before it is read: due scheduling tasks start
 * their runs, then due reload tasks fire and every active reload moves on.
 */
import { settleReloads } from './reload-runner.js';
import { fireDueSchedulingTasks } from './scheduling-tasks.js';
import type { ContentState } from './state.js';

export function settleContent(state: ContentState, now: number): void {
  fireDueSchedulingTasks(state, now);
  settleReloads(state, now);
}
