export { AppDistributionTimeoutError, DistributionApiDriftError } from './errors.js';
export {
  createDeployment,
  deleteDeployment,
  findDeploymentByName,
  findDeploymentsByName,
  getDeploymentToken,
  listDeployments,
  type CreateDeploymentInput,
  type Deployment,
} from './hds.js';
export {
  DEFAULT_DEPLOYMENT_PROPERTY,
  distributionPolicyRule,
  ensureDeploymentRouting,
  findEquivalentPolicy,
  routeAppToDeployment,
  type DeploymentRoutingOptions,
  type DistributionPolicyOptions,
} from './routing.js';
export { forceAppDistribution } from './force.js';
export { waitForAppInTenant, type WaitForAppInTenantOptions } from './wait.js';
