import { inspect } from 'node:util';
import { isQlikValidationError } from '@qlik-oem/core';
import { unwrap } from '@qlik-oem/qlik-cloud';
import { startSimulator } from '@qlik-oem/simulator';
import { describe, expect, it } from 'vitest';
import { Secret, s3DataConnection, type S3DataConnectionOptions } from '../src/index.js';
import { hydrateFromTemplateInputSchema } from '../src/schemas.js';
import { sourceTenantAdmin } from './helpers/sim-access.js';

const SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
const options: S3DataConnectionOptions = {
  name: 'customer-data',
  bucket: 'acme-analytics',
  region: 'eu-west-1',
  accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
  secretAccessKey: new Secret(SECRET),
};

describe('s3DataConnection', () => {
  it('builds the S3 connector create body with the secret still wrapped, and the script root', async () => {
    const connection = await s3DataConnection({ ...options, prefix: 'customers/acme/' });
    expect(connection.name).toBe('customer-data');
    expect(connection.createBody).toMatchObject({
      qType: 'QvWebStorageProviderConnectorPackage.exe',
      datasourceID: 'File_AmazonS3ConnectorV2',
      qConnectStatement: expect.stringContaining('bucketName=acme-analytics;'),
      qUsername: 'AKIAIOSFODNN7EXAMPLE',
    });
    expect(connection.createBody.qConnectStatement).toContain('region=eu-west-1;');
    expect(connection.createBody.qPassword.reveal()).toBe(SECRET);
    expect(connection.libRoot).toBe('lib://customer-data/customers/acme/');
    expect((await s3DataConnection(options)).libRoot).toBe('lib://customer-data/');
  });

  it('never shows the secret: inspect, JSON and template strings', async () => {
    const connection = await s3DataConnection({ ...options, secretAccessKey: SECRET });
    for (const shown of [
      inspect(connection),
      inspect(connection.createBody),
      JSON.stringify(connection),
      String(connection.createBody.qPassword),
    ]) {
      expect(shown).not.toContain(SECRET);
    }
  });

  it('is accepted as the dataConnection input of hydrateFromTemplate, secret intact', async () => {
    const parsed = hydrateFromTemplateInputSchema.parse({
      customerId: 'acme',
      tenantHost: 'acme.eu.qlikcloud.com',
      sharedSpaceId: 'shared-1',
      managedSpaceId: 'managed-1',
      template: { appId: 'template-app' },
      dataConnection: await s3DataConnection(options),
    });
    const body = parsed.dataConnection.createBody as { qPassword: Secret };
    expect(body.qPassword.reveal()).toBe(SECRET);
    expect(JSON.stringify(parsed)).not.toContain(SECRET);
  });

  it('rejects bad options with the field named and the value not echoed', async () => {
    const cases: Array<[Partial<S3DataConnectionOptions>, string]> = [
      [{ bucket: 'Acme_Bucket' }, 'bucket'],
      [{ bucket: 'ab' }, 'bucket'],
      [{ region: 'Europe' }, 'region'],
      [{ accessKeyId: 'not-a-key' }, 'accessKeyId'],
      [{ secretAccessKey: '' }, 'secretAccessKey'],
      [{ prefix: '/abs/path' }, 'prefix'],
      [{ prefix: 'a/../b' }, 'prefix'],
      [{ name: ' ' }, 'name'],
    ];
    for (const [overrides, field] of cases) {
      let error: unknown;
      try {
        await s3DataConnection({ ...options, ...overrides });
      } catch (e) {
        error = e;
      }
      expect(isQlikValidationError(error), field).toBe(true);
      expect((error as Error).message, field).toContain(`${field}:`);
      expect((error as Error).message).not.toContain(SECRET);
    }
  });

  it('the simulated tenant accepts the body (strict) and never returns the secret', async () => {
    const sim = await startSimulator({ strict: true, latency: false });
    try {
      const qc = sourceTenantAdmin(sim);
      const { name, createBody } = await s3DataConnection(options);
      const created = unwrap(
        await qc.dataConnections.POST('/api/v1/data-connections', {
          body: { qName: name, ...createBody, qPassword: createBody.qPassword.reveal() },
        }),
      ) as { id?: string; qID?: string };
      const id = created.id ?? created.qID;
      const read = unwrap(
        await qc.dataConnections.GET('/api/v1/data-connections/{qID}', { params: { path: { qID: id! } } }),
      );
      expect(read).toMatchObject({
        qName: 'customer-data',
        datasourceID: 'File_AmazonS3ConnectorV2',
        qConnectStatement: expect.stringContaining('bucketName=acme-analytics;'),
      });
      expect(JSON.stringify(read)).not.toContain(SECRET);
      expect(sim.violations).toEqual([]);
    } finally {
      await sim.close();
    }
  });
});
