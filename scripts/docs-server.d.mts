export interface DocsServer {
  /** Base URL with a trailing slash, e.g. `http://127.0.0.1:41234/`. */
  url: string;
  close(): Promise<void>;
}
export function startDocsServer(options: { root: string; host?: string; port?: number }): Promise<DocsServer>;
