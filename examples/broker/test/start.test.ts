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
    const { lines } = await readLines(await postCustomer(broker.url, { customerId: 'initech', name: 'Initech', alias: 'initech' }));
    expect(lines.at(-1)).toMatchObject({ type: 'result', status: 'provisioned', tenantHost: 'initech.eu.qlikcloud.com', webIntegrationId: expect.any(String) });
  });

  it('for Qlik Cloud it names every missing setting', () => {
    expect(() => readSettings({ QLIK_CLIENT_ID: 'client' })).toThrow(
      'For Qlik Cloud also set QLIK_REGION, QLIK_SOURCE_TENANT, QLIK_CLIENT_SECRET, QLIK_JWT_ISSUER, QLIK_JWT_KEY_ID, QLIK_JWT_PRIVATE_KEY_FILE',
    );
  });
});
