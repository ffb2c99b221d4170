// Memoised dynamic imports: what only some partners need is loaded on first use, not at `import('@qlik-oem/recipes')`.

/** Memoises an async load; a failed load is forgotten so the next call tries again. */
export function loadOnce<T>(load: () => Promise<T>): () => Promise<T> {
  let pending: Promise<T> | undefined;
  return () =>
    (pending ??= load().catch((error: unknown) => {
      pending = undefined;
      throw error;
    }));
}
