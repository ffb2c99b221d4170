// The theme each app is styled with. QRS does not know it: it is the `theme` property of the app's app
// properties object (type `appprops`), read in the engine with the app opened without data.
import type { EngineOptions } from '@qlik-oem/engine';

/** An app's theme id (undefined: the site's default), or why it could not be read. */
export type AppTheme = { theme: string | undefined } | { error: string };

export async function readAppThemes(
  engine: EngineOptions,
  appIds: readonly string[],
  options: { concurrency: number; signal?: AbortSignal },
): Promise<Map<string, AppTheme>> {
  const { withApp } = await import('@qlik-oem/engine');
  const opened = { ...engine, ...(options.signal ? { signal: options.signal } : {}) };
  const themes = new Map<string, AppTheme>();
  const read = async (appId: string): Promise<void> => {
    try {
      const theme = await withApp(
        opened,
        appId,
        async (doc) => {
          const [entry] = await doc.getObjects({ qTypes: ['appprops'] });
          if (!entry?.qInfo?.qId) return undefined;
          const props = (await (await doc.getObject(entry.qInfo.qId)).getProperties()) as { theme?: unknown };
          return typeof props.theme === 'string' && props.theme !== '' ? props.theme : undefined;
        },
        { noData: true },
      );
      themes.set(appId, { theme });
    } catch (error) {
      if (options.signal?.aborted) throw error;
      themes.set(appId, { error: error instanceof Error ? error.message : String(error) });
    }
  };
  const pool = async (ids: string[]) => {
    const queue = [...ids];
    const worker = async () => {
      for (let id = queue.shift(); id !== undefined; id = queue.shift()) await read(id);
    };
    await Promise.all(Array.from({ length: Math.min(options.concurrency, ids.length) }, worker));
  };

  // The first apps probe the engine: a site whose engine cannot be reached at all (no WebSocket through the
  // proxy, say) would otherwise cost a connect timeout per app.
  const probe = appIds.slice(0, options.concurrency);
  await pool(probe);
  const probeErrors = probe.map((id) => themes.get(id)).filter((t) => t && 'error' in t);
  if (probe.length > 0 && probeErrors.length === probe.length) {
    const reason = (probeErrors[0] as { error: string }).error;
    for (const id of appIds.slice(probe.length))
      themes.set(id, { error: `not tried: the engine failed for the first apps (${reason})` });
    return themes;
  }
  await pool(appIds.slice(probe.length));
  return themes;
}
