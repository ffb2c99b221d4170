// The onboarding tests' world: a strict simulator and a provisioning environment on it that records every request,
// with the sample partner and customers.
import type { CreateSocket } from '@qlik-oem/engine';
import { clearOAuthTokenCache } from '@qlik-oem/qlik-cloud';
import { startSimulator, type Simulator, type SimulatorOptions } from '@qlik-oem/simulator';
import { onTestFinished } from 'vitest';
import {
  createProvisioningEnvironment,
  type ProvisioningEnvironment,
  type ProvisioningEnvironmentOptions,
} from '../../src/index.js';
import { SIM_ORG_CLIENT, SIM_REGIONAL_CLIENT } from '../helpers/sim-access.js';

export { samplePartner, samplePartnerPrivateKey, sampleCustomers } from './sample-inputs.js';

export interface SeenRequest {
  method: string;
  host: string;
  path: string;
  status: number;
}

/** The simulator in strict mode, plus an environment on it that records every request it sends. */
export interface OnboardHarness {
  sim: Simulator;
  env: ProvisioningEnvironment;
  requests: SeenRequest[];
  /** Requests that may change state: everything but GET and OAuth token requests. */
  writes(): SeenRequest[];
  close(): Promise<void>;
}

/** `startOnboardHarness` inside a test: the harness is closed once that test finished. */
export async function startOnboardHarnessForTest(
  ...args: Parameters<typeof startOnboardHarness>
): Promise<OnboardHarness> {
  const harness = await startOnboardHarness(...args);
  onTestFinished(() => harness.close());
  return harness;
}

export async function startOnboardHarness(
  options: SimulatorOptions & {
    timeScale?: number;
    environment?: Pick<ProvisioningEnvironmentOptions, 'logger' | 'retryBudget'>;
    organization?: false;
    timeoutMs?: number;
    /** The scope the regional client asks its tokens for (default: every scope the client has). */
    oauthScope?: string;
  } = {},
): Promise<OnboardHarness> {
  const { environment, organization: _organization, timeoutMs, oauthScope, ...simOptions } = options;
  const sim = await startSimulator({ strict: true, latency: false, ...simOptions });
  const requests: SeenRequest[] = [];
  const recordingFetch = (async (input: string | URL | Request, init?: RequestInit) => {
    const request = new Request(input, init);
    const url = new URL(request.url);
    const response = await sim.nodeFetch(request);
    requests.push({ method: request.method, host: url.hostname, path: url.pathname, status: response.status });
    return response;
  }) as typeof fetch;
  const createSocket: CreateSocket = (url, init) => sim.createSocket(url, init);
  const env = createProvisioningEnvironment({
    region: 'eu',
    sourceTenantHost: 'source.eu.qlikcloud.com',
    oauth: {
      ...SIM_REGIONAL_CLIENT,
      ...(oauthScope !== undefined ? { scope: oauthScope } : {}),
    },
    ...(options.organization === false ? {} : { organization: SIM_ORG_CLIENT }),
    fetch: recordingFetch,
    createSocket,
    ...(options.timeScale ? { timeScale: options.timeScale } : {}),
    ...environment,
    ...(timeoutMs !== undefined ? { transport: { timeoutMs } } : {}),
  });
  return {
    sim,
    env,
    requests,
    writes: () => requests.filter((r) => r.method !== 'GET' && r.path !== '/oauth/token'),
    close: async () => {
      await sim.close();
      // Tokens are cached per process by (host, client, scope); the next test's simulator would refuse this one's.
      clearOAuthTokenCache();
    },
  };
}
