// The dataConnection step of hydrateFromTemplate: the customer's connection in the shared space, created or patched.
import { QlikError } from '@qlik-oem/core';
import { unwrap, type DataConnectionsApi, type QlikCloud } from '@qlik-oem/qlik-cloud';
import type { StepDefinition } from '../../step.js';
import { scimString } from '../finders.js';
import type { HydrateFromTemplateParsedInput } from './input.js';

type ConnectionGet = DataConnectionsApi.components['schemas']['ConnectionGet'];

/** Fields of a create body that hold credentials: sent, never compared (Qlik never returns them). */
const SECRET_FIELDS = new Set(['qPassword', 'qConnectionSecret', 'qUsername', 'qCredentialsID', 'qCredentialsName']);
/** Credential fields `PATCH /data-connections/{id}` can replace. */
const PATCHABLE_CREDENTIALS = ['qUsername', 'qPassword', 'qConnectionSecret'];
/** Fields of a create body that `PATCH /data-connections/{id}` can replace. */
const PATCHABLE_FIELDS = new Set([
  'qConnectStatement',
  'qType',
  'datasourceID',
  'qLogOn',
  'qArchitecture',
  'qSeparateCredentials',
]);

export function dataConnectionStep(
  tenant: (host: string) => QlikCloud,
): StepDefinition<
  'dataConnection',
  HydrateFromTemplateParsedInput,
  Record<never, never>,
  { connectionId: string; connectionName: string },
  { connectionId: string; changes: string[] }
> {
  return {
    name: 'dataConnection',
    async inspect(ctx) {
      const qc = tenant(ctx.input.tenantHost);
      const wanted = connectionBody(ctx.input);
      const existing = await findConnection(qc, ctx.input.sharedSpaceId, ctx.input.dataConnection.name, ctx.signal);
      if (!existing)
        return {
          action: 'create',
          reason: 'no connection with that name in the shared space',
          marker: ctx.input.dataConnection.name,
        };
      const changes = connectionChanges(existing, wanted);
      if (ctx.input.dataConnection.rotateCredentials && Object.keys(wanted).some((key) => SECRET_FIELDS.has(key)))
        changes.push('credentials');
      const outputs = { connectionId: existing.qID, connectionName: existing.qName };
      if (changes.length === 0) return { action: 'none', reason: 'the connection is up to date', outputs };
      return {
        action: 'update',
        reason: `the connection differs (${changes.join(', ')})`,
        current: { connectionId: existing.qID, changes },
      };
    },
    async apply(ctx, inspection) {
      const qc = tenant(ctx.input.tenantHost);
      const body = connectionBody(ctx.input);
      const reveal = revealSecrets(body);
      if (inspection.action === 'update') {
        // Credentials go along with every patch: whatever changed, the connection must still log on.
        const fields = [...inspection.current.changes, ...PATCHABLE_CREDENTIALS];
        const operations = fields
          .filter(
            (key) => reveal[key] !== undefined && (PATCHABLE_FIELDS.has(key) || PATCHABLE_CREDENTIALS.includes(key)),
          )
          .map((key) => ({ op: 'replace' as const, path: `/${key}`, value: reveal[key] as string }));
        unwrap(
          await qc.dataConnections.PATCH('/api/v1/data-connections/{qID}', {
            params: { path: { qID: inspection.current.connectionId } },
            body: operations,
            signal: ctx.signal,
          }),
        );
        return { connectionId: inspection.current.connectionId, connectionName: ctx.input.dataConnection.name };
      }
      const created = unwrap(
        await qc.dataConnections.POST('/api/v1/data-connections', {
          body: reveal as unknown as DataConnectionsApi.components['schemas']['ConnectionCreate'],
          signal: ctx.signal,
        }),
      ) as { id?: string; qID?: string; qName?: string } | undefined;
      const connectionId = created?.qID ?? created?.id;
      if (!connectionId) throw new QlikError('The connection create answered without an id');
      return { connectionId, connectionName: ctx.input.dataConnection.name };
    },
  };
}

async function findConnection(
  qc: QlikCloud,
  spaceId: string,
  name: string,
  signal: AbortSignal,
): Promise<ConnectionGet | undefined> {
  const result = unwrap(
    await qc.dataConnections.GET('/api/v1/data-connections', {
      params: { query: { spaceId, filter: `qName eq ${scimString(name)}` } },
      signal,
    }),
  );
  return (result.data ?? []).find(
    (connection) => connection.qName === name && (connection.space ?? undefined) === spaceId,
  );
}

type ConnectionBody = Record<string, unknown>;

/** The create body for the customer's connection (secrets still wrapped as `Secret`). */
function connectionBody(input: HydrateFromTemplateParsedInput): ConnectionBody {
  const connection = input.dataConnection;
  if (connection.createBody) return { ...connection.createBody, qName: connection.name, space: input.sharedSpaceId };
  return {
    qName: connection.name,
    qType: connection.type ?? connection.datasourceId,
    qConnectStatement: connection.connectionString,
    datasourceID: connection.datasourceId,
    space: input.sharedSpaceId,
    ...(connection.username !== undefined ? { qUsername: connection.username } : {}),
    ...(connection.password !== undefined ? { qPassword: connection.password } : {}),
  };
}

function revealSecrets(body: ConnectionBody): ConnectionBody {
  return Object.fromEntries(
    Object.entries(body).map(([key, value]) => [
      key,
      typeof (value as { reveal?: unknown })?.reveal === 'function' ? (value as { reveal(): string }).reveal() : value,
    ]),
  );
}

/** The comparable fields of `wanted` that differ in `existing` (secrets are never returned, so never compared). */
function connectionChanges(existing: ConnectionGet, wanted: ConnectionBody): string[] {
  const current = existing as unknown as Record<string, unknown>;
  return Object.keys(wanted).filter((key) => {
    if (key === 'qName' || key === 'space' || SECRET_FIELDS.has(key) || !PATCHABLE_FIELDS.has(key)) return false;
    const value = wanted[key];
    if (typeof value !== 'string' && typeof value !== 'boolean' && typeof value !== 'number') return false;
    return current[key] !== value;
  });
}
