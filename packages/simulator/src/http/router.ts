import type { Route } from './types.js';

interface CompiledRoute {
  route: Route;
  regex: RegExp;
  paramNames: string[];
  /** Literal segments count: more literal = more specific (`/users/me` beats `/users/{userId}`). */
  literals: number;
}

export type MatchResult =
  | { kind: 'match'; route: Route; params: Record<string, string> }
  | { kind: 'method-not-allowed'; allowed: string[] }
  | { kind: 'not-found' };

const escapeRegex = (s: string): string => s.replace(/[.*+?^$()|[\]\\]/g, '\\$&');

/** Matches request paths against OpenAPI path templates. */
export class Router {
  private readonly routes: CompiledRoute[] = [];

  add(route: Route): void {
    const paramNames: string[] = [];
    const segments = route.path.split('/');
    let literals = 0;
    const pattern = segments
      .map((seg) => {
        const m = /^\{([^}]+)\}$/.exec(seg);
        if (m?.[1]) {
          paramNames.push(m[1]);
          return '([^/]+)';
        }
        literals++;
        return escapeRegex(seg);
      })
      .join('/');
    const duplicate = this.routes.find(
      (r) => r.route.path === route.path && r.route.method.toUpperCase() === route.method.toUpperCase(),
    );
    if (duplicate)
      throw new Error(`Route ${route.method} ${route.path} is registered twice (${duplicate.route.api}, ${route.api})`);
    this.routes.push({ route, regex: new RegExp(`^${pattern}/?$`), paramNames, literals });
  }

  all(): Route[] {
    return this.routes.map((r) => r.route);
  }

  match(method: string, path: string): MatchResult {
    let best: { c: CompiledRoute; values: string[] } | undefined;
    const allowed = new Set<string>();
    for (const c of this.routes) {
      const m = c.regex.exec(path);
      if (!m) continue;
      if (c.route.method.toUpperCase() !== method.toUpperCase()) {
        allowed.add(c.route.method.toUpperCase());
        continue;
      }
      if (!best || c.literals > best.c.literals) best = { c, values: m.slice(1) };
    }
    if (!best) return allowed.size > 0 ? { kind: 'method-not-allowed', allowed: [...allowed] } : { kind: 'not-found' };
    const params: Record<string, string> = {};
    best.c.paramNames.forEach((name, i) => {
      const raw = best.values[i] ?? '';
      try {
        params[name] = decodeURIComponent(raw);
      } catch {
        params[name] = raw;
      }
    });
    return { kind: 'match', route: best.c.route, params };
  }
}
