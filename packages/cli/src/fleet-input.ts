// The provisionFleet input a config describes: partner, customers, the hydrate settings per customer, and the
// impersonation client of every tenant.
import { unwrap } from '@qlik-oem/qlik-cloud';
import { type CustomerInput, type FleetHydrateConfig, type ProvisionFleetInput } from '@qlik-oem/recipes';
import type { CliConfig } from './config.js';
import { CliUsageError } from './exit-codes.js';
import type { Target } from './target.js';

/** The template's app id: given, or looked up by name in the source tenant (exactly one app must match). */
async function templateAppId(target: Target, template: { appId?: string; appName?: string }): Promise<string> {
  if (template.appId) return template.appId;
  const name = template.appName!;
  const items = unwrap(
    await target.env.source().items.GET('/api/v1/items', { params: { query: { resourceType: 'app', name } } }),
  );
  const matches = (items.data ?? []).filter((item) => item.name === name && item.resourceId);
  if (matches.length !== 1)
    throw new CliUsageError(
      `hydrate.template.appName: ${matches.length === 0 ? 'no app' : `${matches.length} apps`} named "${name}" in the source tenant; give hydrate.template.appId`,
    );
  return matches[0]!.resourceId!;
}

export async function fleetInput(
  config: CliConfig,
  target: Target,
  customers: readonly CustomerInput[],
): Promise<ProvisionFleetInput> {
  const h = config.hydrate;
  let hydrate: FleetHydrateConfig | undefined;
  if (h) {
    const appId = await templateAppId(target, h.template);
    // A plain string: the recipes' input schema wraps it in a Secret at validation.
    const password = h.dataConnection.password;
    hydrate = {
      // `appName` names the customer's copy only when the template is given by id (else it is the lookup key).
      template: { appId, ...('appId' in h.template && h.template.appName ? { appName: h.template.appName } : {}) },
      dataConnection: (customer) => ({
        name: h.dataConnection.name,
        datasourceId: h.dataConnection.datasourceId,
        connectionString: h.dataConnection.connectionString
          .replaceAll('{alias}', customer.alias)
          .replaceAll('{customerId}', customer.customerId),
        ...(h.dataConnection.username ? { username: h.dataConnection.username } : {}),
        ...(password ? { password } : {}),
      }),
      ...(h.scriptConnection ? { scriptConnection: { from: h.scriptConnection } } : {}),
    };
  }
  const customize = config.impersonationClient
    ? { impersonationClient: config.impersonationClient as { name: string } }
    : undefined;
  return { partner: target.partner, customers, ...(hydrate ? { hydrate } : {}), ...(customize ? { customize } : {}) };
}
