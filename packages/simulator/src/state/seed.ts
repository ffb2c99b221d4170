import type { SimState } from './sim-state.js';
import type { StateFile } from './state-file.js';

/** Fills a fresh SimState from a validated state file. */
export function seedState(sim: SimState, file: StateFile): void {
  for (const region of file.regions) sim.regions.add(region);
  const tenantIdByHost = new Map<string, string>();
  file.tenants.forEach((t, i) => {
    const license = t.license ?? {};
    const tenant = sim.createTenant({
      region: t.region,
      name: t.name ?? t.hostname.split('.')[0] ?? t.hostname,
      hostnames: [t.hostname, ...(t.aliases ?? [])],
      license: {
        licenseNumber: license.licenseNumber ?? String(9_000_000_000_000_000 + i),
        product: license.product ?? 'Qlik Cloud Analytics (OEM)',
        allotments: license.allotments ?? [
          { name: 'professional', units: 10 },
          { name: 'analyzer', units: 100 },
        ],
        ...(license.licenseKey ? { licenseKey: license.licenseKey } : {}),
      },
      seed: t,
    });
    tenantIdByHost.set(t.hostname, tenant.id);
    if (t.apiKeys) tenant.apiKeysConfig.api_keys_enabled = t.apiKeys.enabled;
    for (const u of t.users ?? []) {
      sim.addUser(tenant, {
        subject: u.subject,
        ...(u.name !== undefined ? { name: u.name } : {}),
        ...(u.email !== undefined ? { email: u.email } : {}),
        ...(u.status !== undefined ? { status: u.status } : {}),
        roles: u.roles ?? [],
      });
    }
    for (const g of t.groups ?? []) {
      const now = sim.nowIso();
      const id = sim.ids.hex();
      tenant.groups.set(id, {
        id,
        tenantId: tenant.id,
        name: g.name,
        providerType: 'idp',
        status: 'active',
        assignedRoles: (g.roles ?? []).map((r) => sim.roleRef(tenant, r)),
        createdAt: now,
        lastUpdatedAt: now,
        ...(g.description !== undefined ? { description: g.description } : {}),
      });
    }
  });
  for (const c of file.oauthClients) {
    const tenantId = c.tenant !== undefined ? tenantIdByHost.get(c.tenant) : undefined;
    sim.addOAuthClient({
      clientId: c.clientId,
      clientSecret: c.clientSecret,
      name: c.name ?? c.clientId,
      scopes:
        c.scopes ?? (c.organization === true ? ['cloud-console.tenants:read'] : ['admin_classic', 'user_default']),
      ...(c.region !== undefined ? { region: c.region } : {}),
      ...(tenantId !== undefined ? { tenantId } : {}),
      ...(c.allowedGrantTypes !== undefined ? { allowedGrantTypes: c.allowedGrantTypes } : {}),
      ...(c.organization === true ? { organization: true } : {}),
    });
  }
}
