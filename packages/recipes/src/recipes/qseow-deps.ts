// The QSEoW-side packages of the multi-cloud recipe, loaded on first use: `@qlik-oem/qrs` brings undici, which
// would otherwise slow down every `import('@qlik-oem/recipes')`, multi-cloud or not.

import { loadOnce } from '../load-once.js';

export { loadOnce };

export interface QseowDeps {
  qrs: typeof import('@qlik-oem/qrs');
  distribution: typeof import('@qlik-oem/distribution');
}

/** `@qlik-oem/qrs` and `@qlik-oem/distribution`, imported once per process. */
export const loadQseowDeps = loadOnce(async (): Promise<QseowDeps> => {
  const [qrs, distribution] = await Promise.all([import('@qlik-oem/qrs'), import('@qlik-oem/distribution')]);
  return { qrs, distribution };
});
