import { loadValidators } from '../validation/load.js';
import { Secret } from '../validation/secret.js';

const INSPECT = Symbol.for('nodejs.util.inspect.custom');

/** Qlik Cloud's Amazon S3 (V2) web-storage connector, as the data-connections API names it (see the TSDoc below). */
export const S3_CONNECTOR = {
  qType: 'QvWebStorageProviderConnectorPackage.exe',
  datasourceID: 'File_AmazonS3ConnectorV2',
} as const;

export interface S3DataConnectionOptions {
  /** Connection name (`qName`), e.g. `customer-data`; the name the template's `LIB CONNECT TO` is pointed at. */
  name: string;
  /** The customer's bucket, e.g. `acme-analytics`. */
  bucket: string;
  /** The bucket's AWS region, e.g. `eu-west-1`. */
  region: string;
  accessKeyId: string;
  /** Wrapped so it never reaches a log, an error or the journal; a plain string is wrapped for you. */
  secretAccessKey: Secret | string;
  /**
   * The customer's folder when customers share a bucket, e.g. `customers/acme`. Not part of the connection
   * (the spec documents no root-folder setting for the connector): scripts read `lib://<name>/<prefix>/...`,
   * which `libRoot` spells out.
   */
  prefix?: string;
}

/** The `dataConnection` input of `hydrateFromTemplate` (a create body with the secret still wrapped), plus the script root. */
export interface S3DataConnection {
  name: string;
  createBody: {
    qType: string;
    datasourceID: string;
    qConnectStatement: string;
    qUsername: string;
    qPassword: Secret;
  };
  /** `lib://<name>/` or `lib://<name>/<prefix>/`: where this customer's files are, for the load script. */
  libRoot: string;
}

/** The statement is built from validated values only, so no quoting is needed; its fields are the connector's, unverified. */
function connectStatement(bucket: string, region: string): string {
  return `CUSTOM CONNECT TO "provider=${S3_CONNECTOR.qType};sourceType=${S3_CONNECTOR.datasourceID};region=${region};bucketName=${bucket};"`;
}

/**
 * Builds the per-customer Amazon S3 data connection for `hydrateFromTemplate` (its `dataConnection` input),
 * one bucket (or prefix) per customer. Options are validated first (`QlikValidationError`, values never echoed).
 *
 * The secret access key stays a `Secret` (`util.inspect`, JSON and the journal show `[REDACTED]`); hydrate
 * reveals it only in the request that creates the connection.
 *
 * Unverified: `qType`, `datasourceID` (`File_AmazonS3ConnectorV2`) and the connect statement's keys
 * (`region`, `bucketName`) follow Qlik's naming for the Amazon S3 V2 web-storage connector but are not in
 * the data-connections spec, which leaves connector fields open; check them against a connection created in
 * your tenant's UI (`GET /api/v1/data-connections/{id}`) and pass your own `createBody` if they differ.
 *
 * ```ts
 * await hydrateFromTemplate(env, { ..., dataConnection: await s3DataConnection({ name: 'customer-data', bucket: 'acme-analytics',
 *   region: 'eu-west-1', accessKeyId: 'AKIA...', secretAccessKey: new Secret(process.env.ACME_S3_SECRET!) }) });
 * ```
 */
export async function s3DataConnection(options: S3DataConnectionOptions): Promise<S3DataConnection> {
  const { parseInput, s3DataConnectionOptionsSchema } = await loadValidators();
  const parsed = parseInput(s3DataConnectionOptionsSchema, options, { label: 's3DataConnection options' });
  const secret =
    typeof parsed.secretAccessKey === 'string' ? new Secret(parsed.secretAccessKey) : parsed.secretAccessKey;
  const createBody = {
    ...S3_CONNECTOR,
    qConnectStatement: connectStatement(parsed.bucket, parsed.region),
    qUsername: parsed.accessKeyId,
    qPassword: secret,
  };
  const connection: S3DataConnection = {
    name: parsed.name,
    createBody,
    libRoot: `lib://${parsed.name}/${parsed.prefix ? `${parsed.prefix}/` : ''}`,
  };
  // The Secret already redacts itself; this keeps the access key id out of casual logs too.
  Object.defineProperty(connection, INSPECT, {
    enumerable: false,
    value: () =>
      `S3DataConnection ${JSON.stringify({ name: connection.name, bucket: parsed.bucket, region: parsed.region, libRoot: connection.libRoot })}`,
  });
  return connection;
}
