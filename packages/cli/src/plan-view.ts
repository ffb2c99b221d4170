// Plans as people and CI read them: Terraform-style symbols per step, a count line, and a fingerprint.
import { createHash } from 'node:crypto';
import type { CustomerPlan } from '@qlik-oem/recipes';
import { errorText } from './error-text.js';

export interface StepView {
  step: string;
  action: 'none' | 'create' | 'update' | 'depends';
  reason: string;
}

export interface CustomerPlanView {
  customerId: string;
  changes: boolean;
  steps: StepView[];
  /** Why the customer could not be inspected. */
  error?: string;
}

const SYMBOL = { create: '+', update: '~', depends: '?', none: ' ' } as const;

export function planViews(plans: readonly CustomerPlan[]): CustomerPlanView[] {
  return plans.map((p) => ({
    customerId: p.customerId,
    changes: p.plan?.changes ?? true,
    steps: (p.plan?.steps ?? []).map((s) => ({ step: s.step, action: s.action, reason: s.reason })),
    ...(p.error !== undefined ? { error: errorText(p.error) } : {}),
  }));
}

/** A digest of what the plan read: every customer's steps and their actions. Equal digests = same plan. */
export function fingerprint(views: readonly CustomerPlanView[]): string {
  const canonical = views.map((v) => [v.customerId, v.error ?? '', v.steps.map((s) => [s.step, s.action, s.reason])]);
  return `sha256:${createHash('sha256').update(JSON.stringify(canonical)).digest('hex')}`;
}

export function countLine(views: readonly CustomerPlanView[]): string {
  const steps = views.flatMap((v) => v.steps);
  const n = (action: StepView['action']) => steps.filter((s) => s.action === action).length;
  const changing = views.filter((v) => v.changes).length;
  if (changing === 0) return `No changes. ${views.length} customers are up to date.`;
  return `Plan: ${changing} of ${views.length} customers to change: ${n('create')} to create, ${n('update')} to update, ${n('depends')} known after apply; ${views.length - changing} unchanged.`;
}

export function formatPlan(views: readonly CustomerPlanView[], verbose: boolean): string {
  const lines: string[] = [];
  for (const v of views) {
    if (!v.changes && !verbose) continue;
    lines.push(`${v.changes ? '~' : ' '} ${v.customerId}`);
    if (v.error) lines.push(`    ! cannot inspect: ${v.error}`);
    for (const s of v.steps)
      if (s.action !== 'none' || verbose) lines.push(`    ${SYMBOL[s.action]} ${s.step}: ${s.reason}`);
  }
  if (lines.length > 0) lines.push('');
  lines.push(countLine(views));
  return `${lines.join('\n')}\n`;
}
