// zod off the import path: the schemas (and the checks built on them) are one module, `validators.ts`, which
// recipes load on their first validation. `import('@qlik-oem/recipes')` therefore never loads zod; the public
// schemas are the `@qlik-oem/recipes/schemas` entry.
import { loadOnce } from '../load-once.js';

export type Validators = typeof import('./validators.js');

/** The schemas and the checks built on them, imported once per process. */
export const loadValidators: () => Promise<Validators> = loadOnce(() => import('./validators.js'));

/** A recipe's `input`: the named schema, loaded on first validation. */
export const lazySchema =
  <Key extends keyof Validators>(key: Key): (() => Promise<Validators[Key]>) =>
  async () =>
    (await loadValidators())[key];
