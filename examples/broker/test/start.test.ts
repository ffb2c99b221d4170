import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readSettings } from '../src/settings.js';
import { startBroker, type RunningBroker } from '../src/start.js';
import { postCustomer, readLines } from './helpers.js';

describe('examples/broker start-up (what main.ts runs)', () => {
  let broker: RunningBroker | undefined;
  afterEach(async () => {
    await broker?.close();
    broker = undefined;
  });

  it('without Qlik credentials it serves against the embedded simulator', async () => {
    broker = await startBroker(readSettings({ BROKER_PORT: '0', SIM_TIME_SCALE: '200' }));
    expect(broker.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(broker.simulatorUrl).toEqual(expect.any(String));
    const { lines } = await readLines(
      await postCustomer(broker.url, { customerId: 'initech', name: 'Initech', alias: 'initech' }),
    );
    expect(lines.at(-1)).toMatchObject({
      type: 'result',
      status: 'provisioned',
      tenantHost: 'initech.eu.qlikcloud.com',
      webIntegrationId: expect.any(String),
    });
  });

  it('for Qlik Cloud it names every missing setting', () => {
    expect(() => readSettings({ QLIK_CLIENT_ID: 'client' })).toThrow(
      'For Qlik Cloud also set QLIK_REGION, QLIK_SOURCE_TENANT, QLIK_CLIENT_SECRET, QLIK_JWT_ISSUER, QLIK_JWT_KEY_ID, QLIK_JWT_PRIVATE_KEY_FILE',
    );
  });

  it('with Qlik credentials it builds the partner from the signing key and serves state from file journals, without calling Qlik', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'broker-real-'));
    try {
      const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
      const keyFile = join(dir, 'partner-key.pem');
      writeFileSync(keyFile, privateKey.export({ type: 'pkcs8', format: 'pem' }).toString());
      const settings = readSettings({
        QLIK_CLIENT_ID: 'client',
        QLIK_CLIENT_SECRET: 'client-secret-value',
        QLIK_REGION: 'eu',
        QLIK_SOURCE_TENANT: 'partner.eu.qlikcloud.com',
        QLIK_JWT_ISSUER: 'https://partner.example',
        QLIK_JWT_KEY_ID: 'key-1',
        QLIK_JWT_PRIVATE_KEY_FILE: keyFile,
        QLIK_TEMPLATE_APP_ID: 'template-app',
        QLIK_DATA_CONNECTION_STRING: 'host={alias}-db;database={customerId}',
        BROKER_PRODUCT_ORIGIN: 'https://app.partner.example',
        BROKER_PORT: '0',
        JOURNAL_DIR: join(dir, 'journal'),
      });
      if (settings.target.kind !== 'qlik-cloud') throw new Error('expected the Qlik Cloud target');
      expect(settings.target.partner.jwt).toEqual({
        issuer: 'https://partner.example',
        keyId: 'key-1',
        publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
      });
      expect(settings.target.partner.groups).toMatchObject({ consumers: 'Analytics Consumers' });
      const customer = { customerId: 'acme', name: 'Acme', alias: 'acme', allowContributors: false };
      const connection =
        typeof settings.target.hydrate?.dataConnection === 'function'
          ? settings.target.hydrate.dataConnection(customer)
          : undefined;
      expect(connection).toMatchObject({ name: 'Customer Data', connectionString: 'host=acme-db;database=acme' });
      expect(settings.target.customization?.webIntegration).toEqual({
        name: 'Partner product',
        validOrigins: ['https://app.partner.example'],
      });

      broker = await startBroker(settings);
      const response = await fetch(`${broker.url}/customers/acme`);
      expect(response.status).toBe(404);
      const invalid = await postCustomer(broker.url, { customerId: 'acme', name: 'Acme', alias: 'Acme Inc' });
      expect(invalid.status).toBe(400);
      expect(readdirSync(dir)).toEqual(['partner-key.pem']);
    } finally {
      await broker?.close();
      broker = undefined;
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
