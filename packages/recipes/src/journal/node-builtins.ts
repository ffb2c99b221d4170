// node:fs/promises and node:os for the file journal and leases, loaded on first use: they are Node internals that a
// process has not loaded yet, so importing them statically made every `import('@qlik-oem/recipes')` compile them,
// for partners whose journal lives in PostgreSQL or Redis too.
import { loadOnce } from '../load-once.js';

export const fsPromises = loadOnce(() => import('node:fs/promises'));
export const nodeOs = loadOnce(() => import('node:os'));
