import { QlikValidationError } from '@qlik-oem/core';
import {
  QRS_RULE_ACTIONS,
  dataOrThrow,
  filterLiteral,
  ensureCustomPropertyDefinition,
  ensureSystemRule,
  setAppCustomProperty,
  type QrsApp,
  type QrsClient,
  type QrsCustomPropertyDefinition,
  type QrsSystemRule,
} from '@qlik-oem/qrs';

/** Default name of the custom property whose values are deployment names (Qlik's KB example uses `deployments`). */
export const DEFAULT_DEPLOYMENT_PROPERTY = 'deployments';

export interface DistributionPolicyOptions {
  /** Rule name; the policy is found by it. Default `Distribute apps to the deployments in @deployments`. */
  name?: string;
  /**
   * **UNVERIFIED**: the SystemRule `category` QMC's distribution policies use is not public. Default `Security`
   * (what custom rules use); set it to what `GET /qrs/systemrule/full?filter=actions eq 1024` shows on your site.
   */
  category?: string;
  /** SystemRule `type`. Default `Custom`. */
  type?: string;
  /**
   * **UNVERIFIED** condition text. Default `((resource.@<property>=subject.name))`: the app's custom property value
   * must equal the deployment name (in distribution policies `subject` is the deployment).
   */
  rule?: string;
  /** Default `App_*`. */
  resourceFilter?: string;
}

export interface DeploymentRoutingOptions {
  /** Name of the routing custom property. Default `deployments`. */
  customPropertyName?: string;
  policy?: DistributionPolicyOptions;
}

function propertyName(options: DeploymentRoutingOptions): string {
  return options.customPropertyName ?? DEFAULT_DEPLOYMENT_PROPERTY;
}

/** The policy the routing helpers keep in place, with its defaults filled in. */
export function distributionPolicyRule(options: DeploymentRoutingOptions = {}) {
  const property = propertyName(options);
  return {
    name: options.policy?.name ?? `Distribute apps to the deployments in @${property}`,
    category: options.policy?.category ?? 'Security',
    type: options.policy?.type ?? 'Custom',
    resourceFilter: options.policy?.resourceFilter ?? 'App_*',
    rule: options.policy?.rule ?? `((resource.@${property}=subject.name))`,
    actions: QRS_RULE_ACTIONS.distribute,
    comment: 'Managed by @qlik-oem/distribution: apps go to the deployments named in their custom property.',
    disabled: false,
  };
}

/**
 * Makes sure apps can be routed to `deploymentName`: the routing custom property exists on apps and allows that
 * value, and a distribution policy (Distribute on `App_*`, matching the property against the deployment name) exists.
 * Safe to run again: nothing is written when all is in place.
 */
export async function ensureDeploymentRouting(
  qrs: QrsClient,
  deploymentName: string,
  options: DeploymentRoutingOptions = {},
): Promise<{ customProperty: QrsCustomPropertyDefinition; policy: QrsSystemRule; policyChanged: boolean }> {
  if (typeof deploymentName !== 'string' || deploymentName.trim() === '')
    throw new QlikValidationError('Invalid deploymentName', [{ path: ['deploymentName'], message: 'is required' }]);
  const customProperty = await ensureCustomPropertyDefinition(qrs, {
    name: propertyName(options),
    choiceValues: [deploymentName],
    objectTypes: ['App'],
  });
  // A policy that routes the same way (made in the QMC, as Qlik's multi-cloud setup has it) is kept, not doubled.
  const equivalent = await findEquivalentPolicy(qrs, options);
  if (equivalent) return { customProperty, policy: equivalent, policyChanged: false };
  const { rule: policy, changed: policyChanged } = await ensureSystemRule(qrs, distributionPolicyRule(options));
  return { customProperty, policy, policyChanged };
}

/** A rule condition without its spacing, outer parentheses or case: `((resource.@x = subject.name))` → `resource.@x=subject.name`. */
function conditionOf(rule: string | undefined): string {
  let text = (rule ?? '').replace(/\s+/g, '').toLowerCase();
  while (text.startsWith('(') && text.endsWith(')')) text = text.slice(1, -1);
  return text;
}

/**
 * An enabled distribution policy, of any name, that distributes the same resources on the same condition as
 * `distributionPolicyRule(options)`: e.g. one an administrator made in the QMC before the SDK ran.
 */
export async function findEquivalentPolicy(
  qrs: QrsClient,
  options: DeploymentRoutingOptions = {},
): Promise<QrsSystemRule | undefined> {
  const wanted = distributionPolicyRule(options);
  const rules = dataOrThrow(
    await qrs.api.GET('/systemrule/full', {
      params: { query: { filter: `resourceFilter eq ${filterLiteral(wanted.resourceFilter)}` } },
    }),
    'GET',
  );
  const condition = conditionOf(wanted.rule);
  const matches = rules.filter(
    (rule) =>
      !rule.disabled &&
      rule.resourceFilter === wanted.resourceFilter &&
      ((rule.actions ?? 0) & QRS_RULE_ACTIONS.distribute) !== 0 &&
      conditionOf(rule.rule) === condition,
  );
  // Ours first, when it is one of them.
  return matches.find((rule) => rule.name === wanted.name) ?? matches[0];
}

/** Adds `deploymentName` to the app's routing custom property (other deployments stay). Run `ensureDeploymentRouting` first. */
export async function routeAppToDeployment(
  qrs: QrsClient,
  appId: string,
  deploymentName: string,
  options: DeploymentRoutingOptions = {},
): Promise<QrsApp> {
  return setAppCustomProperty(qrs, appId, { name: propertyName(options), values: [deploymentName], mode: 'add' });
}
