import { wireText } from '../http/wire-text.js';

/** A rate-limit bucket definition: `perMinute` requests, evaluated over `windowMinutes` (Qlik: 5). */
export interface RateLimitTier {
  name: string;
  perMinute: number;
  windowMinutes: number;
}

export const QLIK_WINDOW_MINUTES = 5;

/**
 * The bucket of an operation from its `x-qlik-tier`: `tier1`, `tier2`, or `special:<api>:<limit>`
 * (the same names as @qlik-oem/qlik-cloud's generated tier table).
 */
export function tierFromExtension(api: string, ext: unknown): RateLimitTier {
  const e = (ext ?? {}) as { tier?: unknown; limit?: unknown };
  const limit = typeof e.limit === 'number' && e.limit > 0 ? e.limit : 1000;
  const tier = wireText(e.tier, '1');
  const name = tier === '1' || tier === '2' ? `tier${tier}` : `special:${api}:${limit}`;
  return { name, perMinute: limit, windowMinutes: QLIK_WINDOW_MINUTES };
}
