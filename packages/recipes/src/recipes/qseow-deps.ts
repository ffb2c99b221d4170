// The QSEoW-side packages of the multi-cloud recipe, loaded on first use: `@qlik-oem/qrs` brings undici, which
// would otherwise slow down every `import('@qlik-oem/recipes')`, multi-cloud or not.

export interface QseowDeps {
  qrs: typeof import('@qlik-oem/qrs');
  distribution: typeof import('@qlik-oem/distribution');
}

/** Memoises an async load; a failed load is forgotten so the next call tries again. */
export function loadOnce<T>(load: () => Promise<T>): () => Promise<T> {
  let pending: Promise<T> | undefined;
  return () =>
    (pending ??= load().catch((error: unknown) => {
      pending = undefined;
      throw error;
    }));
}

/** `@qlik-oem/qrs` and `@qlik-oem/distribution`, imported once per process. */
export const loadQseowDeps = loadOnce(async (): Promise<QseowDeps> => {
  const [qrs, distribution] = await Promise.all([import('@qlik-oem/qrs'), import('@qlik-oem/distribution')]);
  return { qrs, distribution };
});
