/** HTTP routes of quotas.json: the tenant's quotas, here its daily app-import allowance (see import-quota.ts). */
import type { Route } from '../http/types.js';
import { ContentError } from './errors.js';
import { contentRoute, json, type ContentCall } from './http.js';
import { APP_IMPORTS_QUOTA_ID, importAllowance, importsToday } from './import-quota.js';

function quotas({ req, ctx, state, now }: ContentCall): Array<Record<string, unknown>> {
  const withUsage = req.query.get('reportUsage') === 'true';
  return [
    {
      id: APP_IMPORTS_QUOTA_ID,
      type: 'quotas',
      attributes: {
        quota: importAllowance(ctx),
        unit: 'imports',
        warningThresholds: [0.9],
        ...(withUsage ? { usage: importsToday(state, now) } : {}),
      },
    },
  ];
}

// The spec: the quotas of "the tenant (provided in JWT)"; any user of the tenant may read them (unverified;
// registry: quota-read-by-any-user).
const route = (path: string, handler: (call: ContentCall) => ReturnType<typeof json>): Route => ({
  ...contentRoute('quotas', 'errors-strict', 'GET', path, handler),
  access: 'user',
});

export const quotaRoutes: Route[] = [
  route('/api/v1/quotas', (call) => json(200, { data: quotas(call) })),
  route('/api/v1/quotas/{id}', (call) => {
    const quota = quotas(call).find((q) => q.id === call.req.params.id);
    if (!quota) throw new ContentError(404, 'QUOTA-NOT-FOUND', 'Not found', `no quota ${call.req.params.id}`);
    return json(200, { data: [quota] });
  }),
];
