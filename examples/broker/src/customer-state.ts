import type { JournalEntry, RunStatus } from '@qlik-oem/recipes';

/** One step of a customer's latest run of a recipe, as the journal recorded it. */
export interface StepState {
  step: string;
  /** `none`: found as wanted; `create`/`update`: written; `failed`; `pending`: a write was announced and never confirmed. */
  action: 'none' | 'create' | 'update' | 'failed' | 'pending';
  at: string;
  /** What the step produced (ids, hosts). Secrets were journaled as `[REDACTED]`. */
  outputs?: unknown;
  error?: { name: string; message: string; code?: string };
}

export interface RunState {
  recipe: string;
  runId: string;
  /** `running` while this broker runs it; `interrupted` when it started and never finished (a crash). */
  status: RunStatus | 'running' | 'interrupted';
  startedAt: string;
  finishedAt?: string;
  steps: StepState[];
}

/** What `GET /customers/:id` shows: the ids partners look up most, and each recipe's latest run. */
export interface CustomerState {
  customerId: string;
  tenantId: string | null;
  tenantHost: string | null;
  sharedSpaceId: string | null;
  managedSpaceId: string | null;
  /** The partner's JWT identity provider on the tenant (end users sign in through it). */
  jwtIdpId: string | null;
  sharedAppId: string | null;
  publishedAppId: string | null;
  webIntegrationId: string | null;
  /** The tenant's OAuth client for user impersonation (its secret is never journaled). */
  impersonationClientId: string | null;
  /** Latest run of each recipe, the most recently started first. */
  runs: RunState[];
}

/**
 * Folds a customer's journal into its state. Ids come from the newest `step:done` of each step over all
 * runs (a failed run keeps the ids of the steps it did complete); runs are the latest per recipe.
 */
export function customerStateOf(
  customerId: string,
  entries: readonly JournalEntry[],
  running: boolean,
): CustomerState | undefined {
  if (entries.length === 0) return undefined;
  const latestOutputs = new Map<string, unknown>();
  const runs = new Map<string, RunState>();
  const latestRunOf = new Map<string, string>();

  for (const entry of entries) {
    if (entry.type === 'run:start') {
      const run: RunState = {
        recipe: entry.recipe,
        runId: entry.runId,
        status: 'interrupted',
        startedAt: entry.at,
        steps: [],
      };
      runs.set(entry.runId, run);
      latestRunOf.set(entry.recipe, entry.runId);
      continue;
    }
    const run = runs.get(entry.runId);
    switch (entry.type) {
      case 'step:intent':
        upsertStep(run, { step: entry.step, action: 'pending', at: entry.at });
        break;
      case 'step:done':
        latestOutputs.set(entry.step, entry.outputs);
        upsertStep(run, { step: entry.step, action: entry.action, at: entry.at, outputs: entry.outputs });
        break;
      case 'step:fail': {
        const { name, message, code } = entry.error;
        upsertStep(run, {
          step: entry.step,
          action: 'failed',
          at: entry.at,
          error: { name, message, ...(code ? { code } : {}) },
        });
        break;
      }
      case 'run:done':
        if (run) {
          run.status = entry.status;
          run.finishedAt = entry.at;
        }
        break;
    }
  }

  const latest = [...latestRunOf.values()]
    .map((runId) => runs.get(runId)!)
    .sort((a, b) => b.startedAt.localeCompare(a.startedAt));
  // Only the newest unfinished run can be the one in flight.
  const newest = latest[0];
  if (running && newest && newest.status === 'interrupted') newest.status = 'running';

  const field = (step: string, key: string): string | null => {
    const value = (latestOutputs.get(step) as Record<string, unknown> | undefined)?.[key];
    return typeof value === 'string' ? value : null;
  };
  return {
    customerId,
    tenantId: field('tenant', 'tenantId'),
    tenantHost: field('tenantName', 'tenantHost'),
    sharedSpaceId: field('spaces', 'sharedSpaceId'),
    managedSpaceId: field('spaces', 'managedSpaceId'),
    jwtIdpId: field('jwtIdp', 'idpId'),
    sharedAppId: field('importApp', 'sharedAppId'),
    publishedAppId: field('publish', 'publishedAppId'),
    webIntegrationId: field('webIntegration', 'webIntegrationId'),
    impersonationClientId: field('impersonationClient', 'clientId'),
    runs: latest,
  };
}

function upsertStep(run: RunState | undefined, step: StepState): void {
  if (!run) return;
  const index = run.steps.findIndex((existing) => existing.step === step.step);
  if (index === -1) run.steps.push(step);
  else run.steps[index] = step;
}
