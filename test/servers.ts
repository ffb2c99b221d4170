// The real PostgreSQL and Redis servers a test file needs: their URLs, or a skip that names what is missing.
import { describe } from 'vitest';

/** The variables `.ci/run` (and `scripts/test-servers.sh`) export. */
export type ServerVariable = 'TEST_POSTGRES_URL' | 'TEST_REDIS_URL';

/**
 * The URL in `variable`, or `undefined` (with a warning naming the variable) when it is unset. When
 * `QLIK_OEM_REQUIRE_SERVERS=1` (CI), an unset variable throws instead, so the file fails rather than skips.
 */
export function serverUrl(variable: ServerVariable): string | undefined {
  const url = process.env[variable];
  if (url) return url;
  const hint = 'start the servers with `eval "$(scripts/test-servers.sh start /tmp/qlik-oem-servers)"` (README)';
  if (process.env.QLIK_OEM_REQUIRE_SERVERS === '1') {
    throw new Error(`${variable} is not set, and QLIK_OEM_REQUIRE_SERVERS=1 says this run must not skip: ${hint}`);
  }
  console.warn(`${variable} is not set: skipping the tests that need it; ${hint}.`);
  return undefined;
}

/**
 * `describe` that runs only when every variable is set; otherwise the suite is skipped and its name
 * says which variable is missing. `body` gets the URLs in the order of `variables`.
 */
export function describeWithServers(
  variables: readonly ServerVariable[],
  name: string,
  body: (...urls: string[]) => void,
): void {
  const urls = variables.map((variable) => serverUrl(variable));
  const missing = variables.filter((_, index) => urls[index] === undefined);
  const title = missing.length === 0 ? name : `${name} (skipped: ${missing.join(' and ')} not set)`;
  describe.skipIf(missing.length > 0)(title, () => body(...urls.map((url) => url ?? '')));
}
