import type { Logger } from '@qlik-oem/core';
import type { RecipeEvent, RecipeEventMap, RecipeEventName, RecipeEvents } from './events.js';

export interface EventOptions {
  /** A shared emitter (e.g. one per fleet run or per process) that progress UIs subscribe to. */
  events?: RecipeEvents;
  /** A single callback for every event, as a discriminated union on `type`. */
  onEvent?: (event: RecipeEvent) => void;
  /** A pino-compatible logger that gets every event as a record (`event`: its type; failures as warnings). */
  logger?: Logger;
}

export type Emit = <K extends RecipeEventName>(name: K, payload: RecipeEventMap[K]) => void;

export function createEmit(options: EventOptions): Emit {
  return (name, payload) => {
    options.events?.emit(name, payload);
    if (options.logger) {
      try {
        const level = name === 'step:fail' || name === 'step:retry' ? 'warn' : name === 'step:start' ? 'debug' : 'info';
        options.logger[level]({ event: name, ...payload }, `recipe ${name}`);
      } catch {
        // Logging must not fail a provisioning run either.
      }
    }
    if (options.onEvent) {
      try {
        options.onEvent({ type: name, ...payload } as RecipeEvent);
      } catch {
        // A progress UI bug must not fail a provisioning run.
      }
    }
  };
}
