/**
 * Who may do what in a space, per space type: the permission tables of help.qlik.com, as data.
 *
 * Sources (help.qlik.com, Qlik Cloud, Sense_Hub/Spaces/):
 * - shared: `permissions-shared-space-prof-full.htm` (Owner, Can manage = facilitator, Can edit data in
 *   apps = codeveloper, Can edit = producer, Can view = consumer, Can consume data = dataconsumer).
 * - managed: `managing-managed-spaces.htm` (Is owner, Can manage = facilitator, Can publish = publisher,
 *   Can contribute = contributor, Can view = consumer, Has restricted view = basicconsumer, Can consume
 *   data = dataconsumer): publish into it needs owner or publisher; the apps are seen by everyone but
 *   publisher-only and dataconsumer-only members.
 * - administrators without a space role: `permissions-shared-space-admin.htm` (tenant and analytics
 *   admins see the space and its apps, manage members, open and delete apps; they cannot export,
 *   publish, duplicate or edit apps).
 * - data connections: `Admin/mc-administer-data-connections.htm` (tenant admins manage every data
 *   connection, analytics admins those of shared and managed spaces, data admins those of data spaces).
 * - space creation: `working-in-shared-spaces.htm` and `managing-managed-spaces.htm`.
 *
 * Beyond the tables (unverified, the simplest reading): duplicate, reload and edit in a managed space
 * follow export (owner, facilitator); importing or creating an app directly in a managed space follows
 * publish into it; data spaces hold no apps; the administrator rules of shared spaces also hold in
 * managed spaces. Registry: auth-managed-space-simplest-reading.
 */
import type { SpaceRole, SpaceType } from '../content/state.js';

export type SpaceAction =
  /** See the space, its members and (listing) that it exists. */
  | 'space.read'
  /** Rename, change or delete the space; add, change and remove members. */
  | 'space.manage'
  /** Create, import or move an app into the space. */
  | 'app.create'
  | 'app.open'
  | 'app.edit'
  | 'app.delete'
  | 'app.export'
  | 'app.duplicate'
  | 'app.reload'
  /** Give the app another owner (administrators do it in the Administration activity center). */
  | 'app.change-owner'
  /** Publish or republish an app that lives in this space (the source side). */
  | 'app.publish-from'
  /** Publish or republish into this space (the target side). */
  | 'app.publish-into'
  /** Use the space's data connections (reload with them, read them). */
  | 'connection.use'
  /** Create, change and delete the space's data connections. */
  | 'connection.manage';

/** A space role, or `owner` for the space's owner (ownerId), which is not an assignable role. */
export type SpaceStanding = SpaceRole | 'owner';

type Table = Readonly<Record<SpaceAction, readonly SpaceStanding[]>>;

const SHARED_EDITORS: readonly SpaceStanding[] = ['owner', 'facilitator', 'codeveloper', 'producer'];
const SHARED_MEMBERS: readonly SpaceStanding[] = [...SHARED_EDITORS, 'consumer', 'dataconsumer'];

const SHARED: Table = {
  'space.read': SHARED_MEMBERS,
  'space.manage': ['owner', 'facilitator'],
  'app.create': SHARED_EDITORS,
  'app.open': [...SHARED_EDITORS, 'consumer'],
  'app.edit': SHARED_EDITORS,
  'app.delete': SHARED_EDITORS,
  'app.export': SHARED_EDITORS,
  'app.duplicate': SHARED_EDITORS,
  'app.reload': SHARED_EDITORS,
  'app.change-owner': ['owner', 'facilitator'],
  'app.publish-from': SHARED_EDITORS,
  'app.publish-into': [],
  'connection.use': SHARED_MEMBERS,
  'connection.manage': SHARED_EDITORS,
};

const MANAGED_MEMBERS: readonly SpaceStanding[] = [
  'owner',
  'facilitator',
  'publisher',
  'contributor',
  'consumer',
  'basicconsumer',
  'dataconsumer',
];
const MANAGED_MANAGERS: readonly SpaceStanding[] = ['owner', 'facilitator'];

const MANAGED: Table = {
  'space.read': MANAGED_MEMBERS,
  'space.manage': MANAGED_MANAGERS,
  'app.create': ['owner', 'publisher'],
  'app.open': ['owner', 'facilitator', 'contributor', 'consumer', 'basicconsumer'],
  'app.edit': MANAGED_MANAGERS,
  'app.delete': MANAGED_MANAGERS,
  'app.export': MANAGED_MANAGERS,
  'app.duplicate': MANAGED_MANAGERS,
  'app.reload': MANAGED_MANAGERS,
  'app.change-owner': MANAGED_MANAGERS,
  'app.publish-from': [],
  'app.publish-into': ['owner', 'publisher'],
  'connection.use': MANAGED_MEMBERS,
  'connection.manage': MANAGED_MANAGERS,
};

const DATA_MEMBERS: readonly SpaceStanding[] = [
  'owner',
  'facilitator',
  'producer',
  'publisher',
  'operator',
  'consumer',
  'dataconsumer',
  'datapreview',
];

const DATA: Table = {
  'space.read': DATA_MEMBERS,
  'space.manage': ['owner', 'facilitator'],
  'app.create': [],
  'app.open': [],
  'app.edit': [],
  'app.delete': [],
  'app.export': [],
  'app.duplicate': [],
  'app.reload': [],
  'app.change-owner': [],
  'app.publish-from': [],
  'app.publish-into': [],
  'connection.use': DATA_MEMBERS.filter((r) => r !== 'datapreview'),
  'connection.manage': ['owner', 'facilitator', 'producer'],
};

export const SPACE_PERMISSIONS: Readonly<Record<SpaceType, Table>> = { shared: SHARED, managed: MANAGED, data: DATA };

/** What tenant and analytics admins may do in shared and managed spaces without a space role. */
const ADMIN_WITHOUT_ROLE: ReadonlySet<SpaceAction> = new Set<SpaceAction>([
  'space.read',
  'space.manage',
  'app.open',
  'app.delete',
  'app.change-owner',
]);

/** The tenant roles that act as administrators of a space type (and of its data connections). */
export const SPACE_ADMIN_ROLES: Readonly<Record<SpaceType, readonly string[]>> = {
  shared: ['TenantAdmin', 'AnalyticsAdmin'],
  managed: ['TenantAdmin', 'AnalyticsAdmin'],
  data: ['TenantAdmin', 'DataAdmin'],
};

/** The tenant roles that may create a space of each type. */
export const SPACE_CREATOR_ROLES: Readonly<Record<SpaceType, readonly string[]>> = {
  shared: ['TenantAdmin', 'AnalyticsAdmin', 'SharedSpaceCreator'],
  managed: ['TenantAdmin', 'AnalyticsAdmin', 'ManagedSpaceCreator'],
  data: ['TenantAdmin', 'DataAdmin', 'DataSpaceCreator'],
};

/** True when an administrator without a space role may do `action` (connections: always, for admins). */
export function adminMayWithoutRole(action: SpaceAction): boolean {
  return ADMIN_WITHOUT_ROLE.has(action) || action === 'connection.use' || action === 'connection.manage';
}
