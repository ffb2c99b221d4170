import { QlikError, QlikValidationError } from '@qlik-oem/core';
import { raceAbort } from '@qlik-oem/core/advanced';
import { exportApp, unwrap, type QlikCloud } from '@qlik-oem/qlik-cloud';
import { grantTemplateExport } from './template-access.js';

/** What the hydrate steps need to know about the template app on the source tenant. */
export interface TemplateMetadata {
  readonly appId: string;
  readonly name: string;
  /**
   * When the template was last saved (ISO 8601). A customer's shared app older than this is
   * re-imported: this is how a template upgrade reaches every customer.
   */
  readonly modifiedDate: string;
}

/**
 * Reads and exports template apps at most once per cache: share one cache across a fleet run so that
 * 64 customers asking at once cause one `GET` and one export of each template. The bytes live only in
 * memory (never in a journal); drop the cache to export again.
 */
export interface TemplateExportCache {
  /** The template's name and revision (one `GET /apps/{id}` per template and cache). */
  metadata(appId: string, signal?: AbortSignal): Promise<TemplateMetadata>;
  /** The template's `.qvf` bytes (one export per template and cache). */
  bytes(appId: string, signal?: AbortSignal): Promise<Uint8Array>;
  /** How many exports this cache started (for logs and tests). */
  readonly exportCount: number;
}

/** The source side the cache reads from: the environment (or anything with a `source()` facade). */
export interface TemplateSource {
  source(): QlikCloud;
}

/**
 * Creates a template export cache over the environment's source tenant.
 *
 * A failed read or export is not cached: the next customer that asks tries again. One customer's
 * abort never cancels the shared work other customers wait on; only that customer stops waiting.
 */
export function createTemplateExportCache(env: TemplateSource): TemplateExportCache {
  const metadataByApp = new Map<string, Promise<TemplateMetadata>>();
  const bytesByApp = new Map<string, Promise<Uint8Array>>();
  let exportCount = 0;

  const shared = <T>(map: Map<string, Promise<T>>, appId: string, load: () => Promise<T>): Promise<T> => {
    let pending = map.get(appId);
    if (!pending) {
      pending = load();
      map.set(appId, pending);
      // Forget failures so a later caller retries; callers still see this rejection.
      pending.catch(() => {
        if (map.get(appId) === pending) map.delete(appId);
      });
    }
    return pending;
  };

  return {
    metadata(appId, signal) {
      if (!isAppId(appId)) return Promise.reject(badAppId());
      return raceAbort(
        shared(metadataByApp, appId, () => readTemplate(env.source(), appId)),
        signal,
      );
    },
    bytes(appId, signal) {
      if (!isAppId(appId)) return Promise.reject(badAppId());
      return raceAbort(
        shared(bytesByApp, appId, async () => {
          exportCount += 1;
          await grantTemplateExport(env.source(), appId);
          return exportApp(env.source(), appId);
        }),
        signal,
      );
    },
    get exportCount() {
      return exportCount;
    },
  };
}

async function readTemplate(source: QlikCloud, appId: string): Promise<TemplateMetadata> {
  const app = unwrap(await source.apps.GET('/api/v1/apps/{appId}', { params: { path: { appId } } }));
  const attributes = app.attributes;
  const modifiedDate = attributes?.modifiedDate;
  if (!attributes?.name || !modifiedDate) {
    throw new QlikError(`Template app ${appId} on ${source.host} has no name or modifiedDate in its attributes`);
  }
  return { appId, name: attributes.name, modifiedDate };
}

function isAppId(appId: unknown): appId is string {
  return typeof appId === 'string' && appId.trim() !== '';
}

function badAppId(): QlikValidationError {
  return new QlikValidationError('template app id must be a non-empty string');
}
