export const API_KEY: string;
export function startSpacesEndpoint(): Promise<{
  fetch: typeof globalThis.fetch;
  requests: Array<{ method?: string; url?: string; host?: string }>;
  close(): Promise<void>;
}>;
