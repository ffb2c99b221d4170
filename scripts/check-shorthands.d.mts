/** tsc's diagnostics (empty when none) for each module's types with and without the codegens' shorthands. */
export function checkShorthands(modules: { name: string; plain: string; short: string }[]): string[];
