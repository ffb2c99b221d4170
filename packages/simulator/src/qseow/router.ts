/** Matches a request path against spec-style templates (`/app/{id}`), case-insensitively as QRS does. */
export interface TemplateRoute<H> {
  method: string;
  template: string;
  handler: H;
}

export function matchRoute<Route extends TemplateRoute<unknown>>(
  routes: readonly Route[],
  method: string,
  path: string,
): { route: Route; params: Record<string, string> } | undefined {
  const segments = path.split('/').filter(Boolean);
  for (const route of routes) {
    if (route.method !== method) continue;
    const parts = route.template.split('/').filter(Boolean);
    if (parts.length !== segments.length) continue;
    const params: Record<string, string> = {};
    let ok = true;
    for (let i = 0; i < parts.length && ok; i++) {
      const part = parts[i]!;
      const segment = segments[i]!;
      if (part.startsWith('{') && part.endsWith('}')) params[part.slice(1, -1)] = decodeURIComponent(segment);
      else ok = part.toLowerCase() === segment.toLowerCase();
    }
    if (ok) return { route, params };
  }
  return undefined;
}
