// The package root's recipe entry points load their implementation on first call (see `implementation.ts`).
import { loadOnce } from './load-once.js';

export type Implementation = typeof import('./implementation.js');

/** The recipes' implementation, imported once per process. */
export const loadImplementation: () => Promise<Implementation> = loadOnce(() => import('./implementation.js'));

type AsyncEntry = (...args: never[]) => Promise<unknown>;
type AsyncKeys = {
  [K in keyof Implementation]: Implementation[K] extends AsyncEntry ? K : never;
}[keyof Implementation];

/** An async entry point of the implementation, called through a first-use import: same parameters, same result. */
export function lazy<Key extends AsyncKeys>(key: Key): Implementation[Key] {
  const entry = async (...args: unknown[]): Promise<unknown> => {
    const implementation = await loadImplementation();
    return (implementation[key] as (...parameters: unknown[]) => Promise<unknown>)(...args);
  };
  return entry as Implementation[Key];
}
