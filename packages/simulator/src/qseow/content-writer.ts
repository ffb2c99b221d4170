import type { SimClock } from '../clock.js';
import { upsertDistributedApp } from '../content/apps.js';
import { decodeQvf } from '../content/qvf.js';
import { contentOf } from '../content/state.js';
import type { SimBehaviour } from '../state/behaviour.js';
import type { DistributedAppWriter } from './cloud-backend.js';

/**
 * Lands distributed apps in the tenants' content state (the Qlik Cloud apps API then serves them): a new app arrives
 * staged, without a space or an owner; a re-distribution replaces its content and keeps its space and users' own objects
 * (whether its publish time moves without new data is `behaviour.redistributionPublishTime`).
 */
export function createContentWriter(clock: SimClock, behaviour?: SimBehaviour): DistributedAppWriter {
  return (tenant, app) => {
    const content = decodeQvf(app.qvf);
    upsertDistributedApp(
      contentOf(tenant),
      {
        id: app.id,
        name: app.name,
        ownerId: '',
        content: {
          description: app.description || content.description,
          script: content.script,
          properties: content.properties,
          objects: content.objects,
          hasData: content.hasData,
        },
        dataVersion: app.dataVersion,
        publishTime: behaviour?.redistributionPublishTime ?? 'moves',
      },
      clock.now(),
    );
  };
}
