import { QlikValidationError } from '@qlik-oem/core';
import type { QrsClient } from './client.js';
import { updateWithConflictRetry, type ConflictRetryOptions } from './conflict-retry.js';
import { dataOrThrow, filterLiteral } from './errors.js';
import type { QrsSystemRule } from './types.js';

/** QRS system rule action bits. */
export const QRS_RULE_ACTIONS = {
  create: 1,
  read: 2,
  update: 4,
  delete: 8,
  export: 16,
  publish: 32,
  changeOwner: 64,
  changeRole: 128,
  exportData: 256,
  offlineAccess: 512,
  distribute: 1024,
  duplicate: 2048,
  approve: 4096,
} as const;

export interface SystemRuleInput {
  /** Rules are matched by name. */
  name: string;
  category: string;
  type?: string;
  subcategory?: string;
  resourceFilter: string;
  rule: string;
  actions: number;
  comment?: string;
  disabled?: boolean;
  /** 0 both, 1 hub, 2 QMC. */
  ruleContext?: 0 | 1 | 2;
}

const FIELDS = [
  'category',
  'type',
  'subcategory',
  'resourceFilter',
  'rule',
  'actions',
  'comment',
  'disabled',
  'ruleContext',
] as const;

/** Finds the rule by name; creates it, or updates the fields that differ (with `modifiedDate`, retrying on 409). */
export async function ensureSystemRule(
  qrs: QrsClient,
  input: SystemRuleInput,
  options: ConflictRetryOptions = {},
): Promise<{ rule: QrsSystemRule; changed: boolean }> {
  if (typeof input.name !== 'string' || input.name.trim() === '')
    throw new QlikValidationError('Invalid system rule', [{ path: ['name'], message: 'is required' }]);
  if (!Number.isInteger(input.actions) || input.actions <= 0)
    throw new QlikValidationError('Invalid system rule', [
      { path: ['actions'], message: 'must be a positive action bit mask' },
    ]);
  if (input.rule.length > 2048 || input.resourceFilter.length > 1024)
    throw new QlikValidationError('Invalid system rule', [
      { path: ['rule'], message: 'rule ≤ 2048 and resourceFilter ≤ 1024 characters' },
    ]);
  const find = async (): Promise<QrsSystemRule | undefined> => {
    const found = dataOrThrow(
      await qrs.api.GET('/systemrule/full', { params: { query: { filter: `name eq ${filterLiteral(input.name)}` } } }),
      'GET',
    );
    return found.find((r) => r.name === input.name) ?? found[0];
  };
  const existing = await find();
  if (!existing) {
    const body: QrsSystemRule = {
      ruleContext: 0,
      disabled: false,
      ...stripUndefined(input),
      name: input.name,
      resourceFilter: input.resourceFilter,
      actions: input.actions,
    };
    return { rule: dataOrThrow(await qrs.api.POST('/systemrule', { body }), 'POST'), changed: true };
  }
  let changed = false;
  const rule = await updateWithConflictRetry(
    {
      entity: `${qrs.baseUrl}/systemrule/${existing.id}`,
      read: async () =>
        dataOrThrow(await qrs.api.GET('/systemrule/{id}', { params: { path: { id: existing.id! } } }), 'GET'),
      change: (current) => {
        const differs = FIELDS.some((f) => input[f] !== undefined && current[f] !== input[f]);
        if (!differs) return undefined;
        changed = true;
        return { ...current, ...stripUndefined(input) };
      },
      write: async (next) =>
        dataOrThrow(await qrs.api.PUT('/systemrule/{id}', { params: { path: { id: next.id! } }, body: next }), 'PUT'),
    },
    options,
  );
  return { rule, changed };
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
