// What the fleet tests share: the template app they hydrate from, the fleet's hydrate config, and what the simulator
// holds per customer alias afterwards.
import { save, setScript, withApp } from '@qlik-oem/engine';
import { unwrap } from '@qlik-oem/qlik-cloud';
import type { Simulator } from '@qlik-oem/simulator';
import type { ProvisioningEnvironment } from '../../src/index.js';
import type { FleetHydrateConfig } from '../../src/recipes/provision-fleet.js';

export const TEMPLATE_SCRIPT =
  "LIB CONNECT TO 'Customer Data';\nSales:\nLOAD * INLINE [\nRegion, Amount\nNorth, 100\n];\n";

/** Sets the template's script (one `LIB CONNECT TO 'Customer Data'`) and returns its app id. */
export async function prepareTemplate(env: ProvisioningEnvironment): Promise<string> {
  const items = unwrap(await env.source().items.GET('/api/v1/items', { params: { query: { resourceType: 'app' } } }));
  const appId = items.data.find((item) => item.name === 'Customer Analytics Template')!.resourceId!;
  await withApp(env.engine.options(env.sourceTenantHost), appId, async (doc) => {
    await setScript(doc, TEMPLATE_SCRIPT);
    await save(doc);
  });
  return appId;
}

export function fleetHydrate(templateAppId: string): FleetHydrateConfig {
  return {
    template: { appId: templateAppId, appName: 'Sales Analytics' },
    dataConnection: (customer) => ({
      name: 'Customer Data',
      datasourceId: 'postgres',
      connectionString: `host=${customer.alias}-db.partner.example;database=sales`,
      username: 'reader',
      password: `pw-${customer.customerId}`,
    }),
    scriptConnection: { from: 'Customer Data' },
  };
}

/** Per customer alias: tenants, groups, IdPs from the simulator's state. */
export function stateByAlias(sim: Simulator, region = 'eu') {
  const byAlias = new Map<
    string,
    { tenants: number; groups: string[]; idps: number; marks: number; tenantHost: string }
  >();
  for (const tenant of sim.state.tenants.values()) {
    const aliasHost = tenant.hostnames[1];
    if (
      !aliasHost ||
      !aliasHost.endsWith(`.${region}.qlikcloud.com`) ||
      tenant.hostnames[0] === 'source.eu.qlikcloud.com'
    )
      continue;
    const alias = aliasHost.split('.')[0]!;
    const entry = byAlias.get(alias) ?? { tenants: 0, groups: [], idps: 0, marks: 0, tenantHost: aliasHost };
    entry.tenants += 1;
    // The SDK's ownership mark is a group too; it is counted apart from the customer's groups.
    const names = [...tenant.groups.values()].map((g) => g.name);
    entry.groups.push(...names.filter((name) => !name.startsWith('qlik-oem-owner:')));
    entry.marks += names.length - names.filter((name) => !name.startsWith('qlik-oem-owner:')).length;
    entry.idps += tenant.identityProviders.size;
    byAlias.set(alias, entry);
  }
  return byAlias;
}

/** Spaces (by type:name) and apps (by space type) of a customer tenant, read through the API. */
export async function contentOf(env: ProvisioningEnvironment, tenantHost: string) {
  const qc = env.tenant(tenantHost);
  const spaces = unwrap(await qc.spaces.GET('/api/v1/spaces', { params: { query: { limit: 100 } } })).data ?? [];
  const items =
    unwrap(await qc.items.GET('/api/v1/items', { params: { query: { resourceType: 'app', limit: 100 } } })).data ?? [];
  const spaceType = new Map(spaces.map((s) => [s.id, s.type]));
  return {
    spaces: spaces.map((s) => `${s.type}:${s.name}`).sort(),
    apps: items.map((item) => `${spaceType.get(item.spaceId ?? '') ?? 'personal'}:${item.name}`).sort(),
  };
}

/** Runs a read of the test's own until it succeeds, at most `attempts` times: under injected faults, it meets them too. */
export async function retrying<T>(read: () => Promise<T>, attempts: number): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await read();
    } catch (error) {
      if (attempt >= attempts) throw error;
    }
  }
}
