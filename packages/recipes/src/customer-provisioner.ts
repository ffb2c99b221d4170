// `createCustomerProvisioner` in the package root: the provisioner is prepared (recipes loaded, fleet composed)
// on its first `provision`, so creating one at start-up costs nothing.
import { loadImplementation } from './lazy.js';
import { loadOnce } from './load-once.js';
import type { CustomerProvisioner, FleetConfig, ProvisionFleetOptions } from './recipes/provision-fleet.js';
import type { ProvisioningEnvironment } from './recipes/context.js';

/**
 * Prepares `provisionFleet`'s per-customer work once (composed recipe, template export cache, license
 * key, retry policy) for running customers one by one as they arrive, e.g. from a job queue. `options`
 * are `provisionFleet`'s (journal, retry, reload, resume); `signal` and events can be given per call.
 */
export function createCustomerProvisioner(
  env: ProvisioningEnvironment,
  fleet: FleetConfig,
  options: Omit<ProvisionFleetOptions, 'concurrency' | 'failFast'> = {},
): CustomerProvisioner {
  let prepared: CustomerProvisioner | undefined;
  const prepare = loadOnce(async () => {
    prepared ??= (await loadImplementation()).createCustomerProvisioner(env, fleet, options);
    return prepared;
  });
  return {
    get templateExports() {
      return prepared?.templateExports ?? 0;
    },
    async provision(customer, callOptions) {
      return (await prepare()).provision(customer, callOptions);
    },
  };
}
