/** Qlik Cloud regions and their datacenter names (SPEC/tenants `datacenter`). */
export const REGION_DATACENTERS: Readonly<Record<string, string>> = {
  eu: 'eu-west-1',
  us: 'us-east-1',
  de: 'eu-central-1',
  uk: 'eu-west-2',
  ap: 'ap-southeast-1',
  sg: 'ap-southeast-2',
  jp: 'ap-northeast-1',
};

export const QLIK_CLOUD_DOMAIN = 'qlikcloud.com';

export const registrationHost = (region: string): string => `register.${region}.${QLIK_CLOUD_DOMAIN}`;

/** The region of `register.<region>.qlikcloud.com`, else undefined. */
export function regionOfRegistrationHost(host: string): string | undefined {
  const m = /^register\.([a-z0-9-]+)\.qlikcloud\.com$/.exec(host);
  return m?.[1];
}

/** The region label of a `<name>.<region>.qlikcloud.com` host, else undefined. */
export function regionOfTenantHost(host: string): string | undefined {
  const m = /^[a-z0-9-]+\.([a-z0-9-]+)\.qlikcloud\.com$/.exec(host);
  return m?.[1];
}

export const isQlikCloudHost = (host: string): boolean =>
  host === QLIK_CLOUD_DOMAIN || host.endsWith(`.${QLIK_CLOUD_DOMAIN}`);

/** The organization console: the Organization REST API and its OAuth token endpoint (qlik.dev apis/org-rest). */
export const CONSOLE_HOST = 'console.qlikcloud.com';
