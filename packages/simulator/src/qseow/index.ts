import type { SimPlugin } from '../plugins.js';
import { createSimCloudBackend, type DistributedAppWriter } from './cloud-backend.js';
import { createContentWriter } from './content-writer.js';
import { createQseowHost, type QseowHost } from './host.js';
import { createQrsSpecValidator, findQrsSpec } from './qrs-spec.js';
import type { QseowHostConfig } from './state.js';

export { createQseowHost, type QseowHost, type QseowHostDeps } from './host.js';
export {
  createSimCloudBackend,
  multiCloudTokenOf,
  MULTI_CLOUD_PROTOCOL,
  type DistributedAppWriter,
} from './cloud-backend.js';
export type { CloudDistributionBackend, DistributedAppPayload, DistributionRecord } from './distribution.js';
export { DISTRIBUTE_ACTION } from './distribution.js';
export { createContentWriter } from './content-writer.js';
export { createQrsSpecValidator, findQrsSpec, type QrsSpecValidator } from './qrs-spec.js';
export type { QseowHostConfig, QseowVirtualProxyConfig, QseowState } from './state.js';
export type { QseowSiteSeed } from './site-seed.js';

/** Reads the state file's `qseow` section: one host config or an array of them. */
export function qseowConfigsOf(section: unknown): QseowHostConfig[] {
  if (section === undefined || section === null) return [];
  const list = Array.isArray(section) ? section : [section];
  return list.map((entry, i) => {
    if (!entry || typeof entry !== 'object' || typeof (entry as { hostname?: unknown }).hostname !== 'string') {
      throw new TypeError(`state file qseow[${i}]: an object with a hostname is required`);
    }
    return entry as QseowHostConfig;
  });
}

/**
 * Builds the QSEoW plugin. Distributed apps land in the tenants' content state (override with `writeDistributedApp`,
 * or `false` to disable delivery); `hosts` adds sites beyond the state file's `qseow` section.
 */
export function createQseowPlugin(
  options: { writeDistributedApp?: DistributedAppWriter | false; hosts?: QseowHostConfig[] } = {},
): SimPlugin & { readonly hosts: QseowHost[] } {
  const hosts: QseowHost[] = [];
  return {
    name: 'qseow',
    hosts,
    setup(host) {
      // Strict mode validates QRS bodies when the QRS spec is available (see findQrsSpec).
      const specPath = host.strict ? findQrsSpec() : undefined;
      const validator = specPath ? createQrsSpecValidator(specPath) : undefined;
      const writer =
        options.writeDistributedApp === undefined
          ? createContentWriter(host.clock, host.sim.behaviour)
          : options.writeDistributedApp;
      const cloud = writer ? createSimCloudBackend(host.sim, writer) : undefined;
      for (const config of [...qseowConfigsOf(host.stateFile['qseow']), ...(options.hosts ?? [])]) {
        const site = createQseowHost(config, {
          clock: host.clock,
          behaviour: host.sim.behaviour,
          ...(cloud ? { cloud } : {}),
          ...(validator ? { validator } : {}),
        });
        host.sim.extraHosts.add(site.hostname);
        host.registerHostHandler(site);
        hosts.push(site);
      }
    },
    close() {
      for (const site of hosts) site.close();
    },
  };
}
