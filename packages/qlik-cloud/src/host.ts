import { QlikValidationError } from '@qlik-oem/core';

/** A validated Qlik Cloud host: `hostname` as given (lower-cased) and the `origin` requests go to. */
export interface QlikHost {
  readonly hostname: string;
  readonly origin: string;
}

const HOSTNAME_PATTERN =
  /^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$/;
const REGION_PATTERN = /^[a-z]{2,3}(?:-[a-z0-9]+)*$/;
const QLIK_CLOUD_SUFFIX = '.qlikcloud.com';
const LOOPBACK_HOSTNAMES = new Set(['localhost', '127.0.0.1', '[::1]']);

function invalidHost(host: unknown, reason: string): QlikValidationError {
  return new QlikValidationError(`Invalid Qlik Cloud host ${JSON.stringify(String(host))}: ${reason}`);
}

/**
 * Accepts `tenant.eu.qlikcloud.com` or `https://tenant.eu.qlikcloud.com[/]`. Plain http is accepted only for
 * loopback hosts (local test servers); anything with credentials, a path, a query or a fragment is refused,
 * because it would silently change where requests go.
 */
export function parseQlikHost(host: string): QlikHost {
  if (typeof host !== 'string' || host.trim() === '')
    throw invalidHost(host, 'expected a hostname such as "tenant.eu.qlikcloud.com"');
  const trimmed = host.trim();
  const hasScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(trimmed);
  let url: URL;
  try {
    url = new URL(hasScheme ? trimmed : `https://${trimmed}`);
  } catch {
    throw invalidHost(host, 'not a hostname or URL');
  }
  if (url.username !== '' || url.password !== '')
    throw invalidHost('<redacted>', 'credentials in the URL are not allowed');
  if (url.pathname !== '/' || url.search !== '' || url.hash !== '') {
    throw invalidHost(host, 'give only the host (no path, query or fragment)');
  }
  if (!hasScheme && trimmed.includes('/')) throw invalidHost(host, 'give only the host (no path)');
  const hostname = url.hostname.toLowerCase();
  const isLoopback = LOOPBACK_HOSTNAMES.has(hostname);
  if (url.protocol === 'http:' && !isLoopback) throw invalidHost(host, 'https is required');
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    throw invalidHost(host, `unsupported scheme ${url.protocol}`);
  if (!isLoopback && !HOSTNAME_PATTERN.test(hostname)) throw invalidHost(host, 'not a valid hostname');
  return { hostname: url.host.toLowerCase(), origin: url.origin };
}

/** The region label of a Qlik Cloud host: `acme.eu.qlikcloud.com` → `eu`, `register.us.qlikcloud.com` → `us`. */
export function regionFromHost(host: string): string {
  const { hostname } = parseQlikHost(host);
  if (!hostname.endsWith(QLIK_CLOUD_SUFFIX)) {
    throw invalidHost(host, 'not a Qlik Cloud host (expected <tenant>.<region>.qlikcloud.com)');
  }
  const labels = hostname.slice(0, -QLIK_CLOUD_SUFFIX.length).split('.');
  const region = labels.length === 2 ? labels[1] : undefined;
  if (region === undefined || !REGION_PATTERN.test(region)) {
    throw invalidHost(host, 'expected <tenant>.<region>.qlikcloud.com');
  }
  return region;
}

/** The regional registration host that creates, deactivates and reactivates tenants: `register.<region>.qlikcloud.com`. */
export function registrationHost(region: string): string {
  if (typeof region !== 'string' || !REGION_PATTERN.test(region)) {
    throw new QlikValidationError(
      `Invalid Qlik Cloud region ${JSON.stringify(String(region))}: expected a region label such as "eu" or "us"`,
    );
  }
  return `register.${region}${QLIK_CLOUD_SUFFIX}`;
}
