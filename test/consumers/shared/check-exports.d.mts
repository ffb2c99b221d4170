export function checkExports(
  load: (name: string) => Promise<Record<string, unknown>> | Record<string, unknown>,
  format: string,
): Promise<void>;
