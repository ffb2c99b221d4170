import { QixErrorCode, QixBackendError } from './errors.js';
import type { ParamSpec } from './method-specs.js';

/**
 * Binds JSON-RPC `params` (array by position, or object by name) to the method's schema `In` list.
 * A missing parameter takes the schema's default, as the engine does; a wrong JSON type is -32602.
 */
export function bindParams(method: string, specs: readonly ParamSpec[], params: unknown): Record<string, unknown> {
  const bound: Record<string, unknown> = {};
  if (params === undefined || params === null) params = [];
  if (Array.isArray(params)) {
    if (params.length > specs.length) {
      throw invalid(`${method} takes at most ${specs.length} parameters, got ${params.length}`);
    }
    specs.forEach((spec, index) => {
      bound[spec.name] = params[index];
    });
  } else if (typeof params === 'object') {
    const named = params as Record<string, unknown>;
    for (const key of Object.keys(named)) {
      if (!specs.some((spec) => spec.name === key)) throw invalid(`${method} has no parameter ${key}`, key);
    }
    for (const spec of specs) bound[spec.name] = named[spec.name];
  } else {
    throw new QixBackendError(QixErrorCode.JSON_RPC_INVALID_REQUEST, 'params must be an array or an object');
  }
  for (const spec of specs) {
    const value = bound[spec.name];
    if (value === undefined || value === null) {
      bound[spec.name] = structuredClone(spec.defaultValue);
      continue;
    }
    const actual = Array.isArray(value) ? 'array' : typeof value;
    if (spec.type !== 'any' && actual !== spec.type)
      throw invalid(
        `${method}: ${spec.name} must be a${spec.type === 'array' ? 'n' : ''} ${spec.type}, got ${actual}`,
        spec.name,
      );
  }
  return bound;
}

function invalid(message: string, parameter = ''): QixBackendError {
  return new QixBackendError(QixErrorCode.JSON_RPC_INVALID_PARAMETERS, message, parameter);
}
