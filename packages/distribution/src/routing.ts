import { QlikValidationError } from '@qlik-oem/core';
import {
  QRS_RULE_ACTIONS,
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
  const { rule: policy, changed: policyChanged } = await ensureSystemRule(qrs, distributionPolicyRule(options));
  return { customProperty, policy, policyChanged };
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
