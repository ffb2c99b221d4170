/**
 * A Qlik rate-limit tier: `perMinute` requests per minute, evaluated over a sliding window of
 * `windowMinutes` (Qlik: 5) so bursts up to `perMinute × windowMinutes` are allowed.
 */
export interface RateLimitTier {
  name: string;
  perMinute: number;
  windowMinutes?: number;
}

/** Maps a request to its tier. Generated clients supply one from the specs' `x-qlik-tier`. */
export type TierResolver = (method: string, url: URL) => RateLimitTier | undefined;

/** Qlik Cloud's documented tiers (qlik.dev rate limiting). */
export const QLIK_TIERS = {
  tier1: { name: 'tier1', perMinute: 1000 },
  tier2: { name: 'tier2', perMinute: 100 },
} as const satisfies Record<string, RateLimitTier>;

/** Used for requests no resolver knows: the stricter documented tier. */
export const DEFAULT_TIER: RateLimitTier = QLIK_TIERS.tier2;

export interface TierTableEntry {
  method: string;
  /** A path template as in the OpenAPI spec, e.g. `/api/v1/apps/{appId}`. */
  path: string;
  tier: RateLimitTier;
}

interface CompiledEntry {
  segments: Array<string | null>; // null = a `{parameter}` segment
  tier: RateLimitTier;
}

function splitPath(path: string): string[] {
  const trimmed = path.replace(/\/+$/, '');
  return trimmed === '' ? [] : trimmed.replace(/^\/+/, '').split('/');
}

// Literal segments beat parameters, compared left to right, so `/apps/import` wins over `/apps/{id}`.
function moreSpecificFirst(a: CompiledEntry, b: CompiledEntry): number {
  for (let i = 0; i < a.segments.length; i++) {
    const aLiteral = a.segments[i] !== null;
    const bLiteral = b.segments[i] !== null;
    if (aLiteral !== bLiteral) return aLiteral ? -1 : 1;
  }
  return 0;
}

/**
 * Builds a `TierResolver` from a table of path templates. A concrete URL path is matched against
 * the templates with the same method and number of segments; the most literal template wins.
 * Requests that match nothing get `fallback` (undefined → the transport's default tier).
 */
export function createTierResolver(entries: readonly TierTableEntry[], fallback?: RateLimitTier): TierResolver {
  const table = new Map<string, CompiledEntry[]>();
  for (const entry of entries) {
    const segments = splitPath(entry.path).map((s) => (/^\{[^}]*\}$/.test(s) ? null : s));
    const key = `${entry.method.toUpperCase()} ${segments.length}`;
    let list = table.get(key);
    if (!list) table.set(key, (list = []));
    list.push({ segments, tier: entry.tier });
  }
  for (const list of table.values()) list.sort(moreSpecificFirst);

  return (method, url) => {
    const segments = splitPath(url.pathname);
    const candidates = table.get(`${method.toUpperCase()} ${segments.length}`);
    if (candidates) {
      for (const candidate of candidates) {
        if (candidate.segments.every((s, i) => s === null || s === segments[i])) return candidate.tier;
      }
    }
    return fallback;
  };
}
