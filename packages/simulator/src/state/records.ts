/** Stored resources, kept in the shape the specs return so handlers can answer with them directly. */

export interface RoleRef {
  id: string;
  name: string;
  type: 'default' | 'custom';
  level: 'admin' | 'user';
}

export interface UserRecord {
  id: string;
  tenantId: string;
  subject: string;
  name: string;
  email?: string;
  status: 'active' | 'invited' | 'disabled' | 'deleted' | 'provisioned';
  createdAt: string;
  lastUpdatedAt: string;
  assignedRoles: RoleRef[];
  assignedGroups: Array<{ id: string; name: string }>;
  inviteExpiry?: number;
  /** Set for the bot user of an OAuth client. */
  clientId?: string;
}

export interface RoleRecord {
  id: string;
  tenantId: string;
  name: string;
  description: string;
  type: 'default' | 'custom';
  level: 'admin' | 'user';
  assignedScopes: string[];
  permissions: string[];
  createdAt: string;
  lastUpdatedAt: string;
  canEdit: boolean;
  canDelete: boolean;
}

export interface GroupRecord {
  id: string;
  tenantId: string;
  name: string;
  description?: string;
  providerType: 'idp' | 'custom';
  status: 'active' | 'disabled';
  assignedRoles: RoleRef[];
  createdAt: string;
  lastUpdatedAt: string;
}

export interface IdentityProviderRecord {
  id: string;
  tenantIds: string[];
  protocol: string;
  provider: string;
  interactive: boolean;
  active: boolean;
  description?: string;
  clockToleranceSec?: number;
  options?: Record<string, unknown>;
  created: string;
  lastUpdated: string;
}

export interface LicenseAllotment {
  name: string;
  units: number;
  unitsUsed: number;
  overage: number;
}

export interface LicenseState {
  licenseKey: string;
  licenseNumber: string;
  product: string;
  allotments: LicenseAllotment[];
  settings: { autoAssignProfessional: boolean; autoAssignAnalyzer: boolean };
  assignments: Array<{ subject: string; type: string; userId?: string; name?: string; created: string }>;
}
