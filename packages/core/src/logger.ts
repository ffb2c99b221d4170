/**
 * A pino-compatible logger: `logger.debug({ ...fields }, 'message')`. pino, bunyan-style adapters
 * and `console` wrappers all fit. The transport logs nothing unless you pass one.
 */
export interface Logger {
  debug(obj: Record<string, unknown>, msg?: string): void;
  info(obj: Record<string, unknown>, msg?: string): void;
  warn(obj: Record<string, unknown>, msg?: string): void;
  error(obj: Record<string, unknown>, msg?: string): void;
}

const noop = (): void => {};

/** Discards everything. */
export const silentLogger: Logger = { debug: noop, info: noop, warn: noop, error: noop };
