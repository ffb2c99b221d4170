import { QlikError, QlikWaitTimeoutError } from '@qlik-oem/core';

/**
 * A response of the private hds API did not have the shape this SDK was written against. The API is unsupported and
 * can change with any QSEoW release; the error names the call and what differed so the change is found quickly.
 */
export class DistributionApiDriftError extends QlikError {
  override name = 'DistributionApiDriftError';
  constructor(
    /** The SDK call, e.g. `createDeployment`. */
    readonly call: string,
    /** What differed, e.g. `id: expected string, received undefined`. */
    readonly mismatch: string,
    readonly status: number,
  ) {
    super(
      `The private hds API changed: ${call} got an unexpected response (HTTP ${status}): ${mismatch}`,
      undefined,
      'drift',
    );
  }
  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), call: this.call, mismatch: this.mismatch, status: this.status };
  }
}

/** A distributed app did not appear in the tenant in time. */
export class AppDistributionTimeoutError extends QlikWaitTimeoutError {
  override name = 'AppDistributionTimeoutError';
  constructor(
    readonly appId: string,
    readonly tenantHost: string,
    readonly deploymentName: string | undefined,
    timeoutMs: number,
  ) {
    super(
      `App ${appId} did not arrive in ${tenantHost} within ${timeoutMs} ms` +
        (deploymentName
          ? ` (deployment "${deploymentName}": check that the app is published, routed to it, and that the tenant's multi-cloud IdP holds its token)`
          : ''),
      { timeoutMs },
    );
  }
  override toJSON(): Record<string, unknown> {
    return {
      ...super.toJSON(),
      appId: this.appId,
      tenantHost: this.tenantHost,
      deploymentName: this.deploymentName,
    };
  }
}
