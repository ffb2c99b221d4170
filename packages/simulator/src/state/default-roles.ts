import type { RoleRecord } from './records.js';
import type { IdGenerator } from './ids.js';

/** The built-in roles every tenant starts with (name, level, description). */
const DEFAULT_ROLES: ReadonlyArray<readonly [string, 'admin' | 'user', string]> = [
  ['TenantAdmin', 'admin', 'Full administrative access to the tenant.'],
  ['AnalyticsAdmin', 'admin', 'Administers analytics content and spaces.'],
  ['AuditAdmin', 'admin', 'Reads audit events.'],
  ['DataAdmin', 'admin', 'Administers data and data spaces.'],
  ['Steward', 'user', 'Manages data catalog content.'],
  ['SharedSpaceCreator', 'user', 'Creates shared spaces.'],
  ['ManagedSpaceCreator', 'user', 'Creates managed spaces.'],
  ['DataSpaceCreator', 'user', 'Creates data spaces.'],
  ['PrivateAnalyticsContentCreator', 'user', 'Creates analytics content in the personal space.'],
  ['DataServicesContributor', 'user', 'Uses data services.'],
  ['AutomationCreator', 'user', 'Creates automations.'],
  // api-keys.json: creating an API key needs the Developer role.
  ['Developer', 'user', 'Creates API keys.'],
];

export function createDefaultRoles(tenantId: string, ids: IdGenerator, now: string): RoleRecord[] {
  return DEFAULT_ROLES.map(([name, level, description]) => ({
    id: ids.hex(),
    tenantId,
    name,
    description,
    type: 'default',
    level,
    assignedScopes: level === 'admin' ? ['admin_classic', 'user_default'] : ['user_default'],
    permissions: [],
    createdAt: now,
    lastUpdatedAt: now,
    canEdit: false,
    canDelete: false,
  }));
}
