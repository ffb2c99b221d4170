// The package root's recipe entry points load their implementation on first call (see `implementation.ts`).
import { loadOnce } from './load-once.js';

export type Implementation = typeof import('./implementation.js');

/** The recipes' implementation, imported once per process. */
export const loadImplementation: () => Promise<Implementation> = loadOnce(() => import('./implementation.js'));

type AsyncEntry = (...args: never[]) => Promise<unknown>;
type AsyncKeys = {
  [K in keyof Implementation]: Implementation[K] extends AsyncEntry ? K : never;
}[keyof Implementation];

/** True when `A` and `B` are the same type (not merely assignable: an added optional parameter differs). */
type Same<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;

/** The implementation's async entry points whose type is exactly `Declared`. */
type KeyOf<Declared> = { [K in AsyncKeys]: Same<Implementation[K], Declared> extends true ? K : never }[AsyncKeys];

/**
 * An async entry point of the implementation, called through a first-use import: same parameters, same result.
 * `Declared` is the signature the entry point is published with (the type its constant is annotated with): the
 * call compiles only when it is exactly the implementation's, so a signature changed on one side alone fails the
 * type-check, and the API report shows the signature itself.
 */
export function lazy<Declared extends AsyncEntry>(key: KeyOf<Declared>): Declared {
  const entry = async (...args: unknown[]): Promise<unknown> => {
    const implementation = await loadImplementation();
    return (implementation[key] as (...parameters: unknown[]) => Promise<unknown>)(...args);
  };
  return entry as unknown as Declared;
}
