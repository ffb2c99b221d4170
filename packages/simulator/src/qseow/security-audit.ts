// Security rules over users and resources, and `POST /systemrule/security/audit/matrix`: which user may do what on
// which resource, per rule (what the QMC's audit page shows). The rule language is a subset (see README).
import { QrsRequestError, requireObject } from './qrs-entities.js';
import { filtered, type QrsRoute, type RepositoryContext } from './qrs-routes.js';
import type { QseowState, SimQrsRecord } from './state.js';
import { wireText } from '../http/wire-text.js';

type Entity = Record<string, unknown>;

const customPropertyValues = (entity: Entity, name: string): string[] =>
  ((entity['customProperties'] as Array<{ value: string; definition: { name: string } }> | undefined) ?? [])
    .filter((c) => c.definition.name.toLowerCase() === name.toLowerCase())
    .map((c) => c.value);

const userAttributes = (user: Entity, type: string): string[] =>
  ((user['attributes'] as Array<{ attributeType: string; attributeValue?: string }> | undefined) ?? [])
    .filter((a) => a.attributeType.toLowerCase() === type.toLowerCase() && a.attributeValue !== undefined)
    .map((a) => a.attributeValue!);

/** The values an operand stands for (several for groups and multi-value properties); undefined if not understood. */
function operandValues(operand: string, user: Entity, resource: Entity): string[] | undefined {
  const quoted = /^"(.*)"$/.exec(operand) ?? /^'(.*)'$/.exec(operand);
  if (quoted) return [quoted[1]!];
  const m = /^(user|resource)\.(@?)([\w.]+)$/i.exec(operand);
  if (!m) return undefined;
  const entity = m[1]!.toLowerCase() === 'user' ? user : resource;
  if (m[2]) return customPropertyValues(entity, m[3]!);
  const path = m[3]!;
  if (entity === user && !path.includes('.') && !['name', 'userid', 'userdirectory'].includes(path.toLowerCase()))
    return userAttributes(user, path);
  let current: unknown = entity;
  for (const key of path.split('.')) {
    const record = current as Entity | undefined;
    const found = record && Object.keys(record).find((k) => k.toLowerCase() === key.toLowerCase());
    current = found ? record[found] : undefined;
  }
  return current === undefined || current === null ? [] : [wireText(current)];
}

/** `a=b` clauses joined by `and` / `or` (and binds tighter), parentheses ignored; `=` compares case-insensitively. */
export function ruleAllows(rule: string, user: Entity, resource: Entity): boolean {
  const text = rule.replace(/[()]/g, ' ').trim();
  if (!text) return true;
  return text.split(/\s+or\s+/i).some((group) =>
    group.split(/\s+and\s+/i).every((clause) => {
      const m = /^(\S+?)\s*=\s*(\S.*)$/.exec(clause.trim());
      const left = m && operandValues(m[1]!, user, resource);
      const right = m && operandValues(m[2]!.trim(), user, resource);
      return !!left && !!right && left.some((l) => right.some((r) => l.toLowerCase() === r.toLowerCase()));
    }),
  );
}

function appliesTo(rule: SimQrsRecord, resourceType: string, resourceId: string): boolean {
  return wireText(rule['resourceFilter'])
    .split(',')
    .map((f) => f.trim().toLowerCase())
    .some((f) => f === `${resourceType}_*`.toLowerCase() || f === `${resourceType}_${resourceId}`.toLowerCase());
}

const RESOURCES: Record<string, (state: QseowState) => Iterable<SimQrsRecord | Entity>> = {
  stream: (state) => state.streams.values(),
  app: (state) => [...state.apps.values()] as unknown as Entity[],
  dataconnection: (state) => state.dataConnections.values(),
};

function propertiesOf(entity: Entity, names: unknown): Record<string, string> {
  const list = Array.isArray(names) && names.length > 0 ? (names as string[]) : ['name'];
  return Object.fromEntries(list.map((n) => [n, wireText(entity[n])]));
}

export function securityAuditRoutes({ state }: RepositoryContext): QrsRoute[] {
  return [
    {
      method: 'POST',
      template: '/systemrule/security/audit/matrix',
      read: true,
      handler: (call) => {
        const body = requireObject(call.body, 'audit matrix parameters');
        const resourceType = wireText(body['resourceType']);
        const source = RESOURCES[resourceType.toLowerCase()];
        if (!source)
          throw new QrsRequestError(400, `the simulator audits Stream, App and DataConnection, not "${resourceType}"`);
        const actions = typeof body['actions'] === 'number' ? body['actions'] : 2;
        const query = (ref: unknown) =>
          new URLSearchParams({ filter: wireText((ref as Entity | undefined)?.['resourceFilter']) });
        const resources = filtered([...source(state)] as Entity[], query(body['resourceRef']));
        const users = filtered([...state.users.values()] as Entity[], query(body['subjectRef']));
        const rules = [...state.systemRules.values()].filter(
          (r) =>
            r['disabled'] !== true &&
            wireText(r['category'], 'Security').toLowerCase() === 'security' &&
            typeof r['actions'] === 'number' &&
            (r['actions'] & actions) !== 0,
        );
        const matrix: unknown[] = [];
        const seenUsers = new Set<string>();
        const seenResources = new Set<string>();
        for (const resource of resources) {
          for (const user of users) {
            const audit: Record<string, number> = {};
            for (const rule of rules) {
              if (
                !appliesTo(rule, resourceType, String(resource['id'])) ||
                !ruleAllows(wireText(rule['rule']), user, resource)
              )
                continue;
              audit[rule.id] = (rule['actions'] as number) & actions;
            }
            if (Object.keys(audit).length === 0) continue;
            matrix.push({ schemaPath: 'AuditMatrixElement', subjectId: user['id'], resourceId: resource['id'], audit });
            seenUsers.add(String(user['id']));
            seenResources.add(String(resource['id']));
          }
        }
        return {
          status: 201,
          body: {
            schemaPath: 'AuditMatrix',
            matrix,
            resources: Object.fromEntries(
              resources
                .filter((r) => seenResources.has(String(r['id'])))
                .map((r) => [String(r['id']), { resourceProperties: propertiesOf(r, body['resourceProperties']) }]),
            ),
            subjects: Object.fromEntries(
              users
                .filter((u) => seenUsers.has(String(u['id'])))
                .map((u) => [String(u['id']), { subjectProperties: propertiesOf(u, body['subjectProperties']) }]),
            ),
          },
        };
      },
    },
  ];
}
