import { generateKeyPairSync } from 'node:crypto';
import { inspect } from 'node:util';
import { isQlikValidationError } from '@qlik-oem/core';
import { createMemoryJournalStore, createProvisioningEnvironment } from '@qlik-oem/recipes';
import { describe, expect, it } from 'vitest';
import { buildBroker } from '../src/server.js';

const env = createProvisioningEnvironment({
  region: 'eu',
  sourceTenantHost: 'source.eu.qlikcloud.com',
  oauth: { clientId: 'c', clientSecret: 's' },
});
const pair = () => generateKeyPairSync('ec', { namedCurve: 'P-256' });
const pem = (key: ReturnType<typeof pair>) => ({
  publicKeyPem: key.publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  privateKeyPem: key.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
});

function errorOf(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error');
}

describe('buildBroker options', () => {
  const registered = pem(pair());
  const other = pem(pair());
  const partner = {
    jwt: { issuer: 'https://broker.partner.example', keyId: 'k1', publicKeyPem: registered.publicKeyPem },
  };

  it('refuses a signing key that is not the pair of the IdP public key, without showing the key', () => {
    const error = errorOf(() =>
      buildBroker({ env, partner, signingKey: other.privateKeyPem, journal: createMemoryJournalStore() }),
    );
    expect(isQlikValidationError(error)).toBe(true);
    expect((error as Error).message).toMatch(/signingKey: is not the pair of partner\.jwt\.publicKeyPem/);
    const shown = `${(error as Error).message}\n${inspect(error)}\n${JSON.stringify(error)}`;
    expect(shown).not.toContain(other.privateKeyPem.split('\n')[1]);
  });

  it('refuses a public key as signing key and names bad partner fields', () => {
    expect(
      errorOf(() =>
        buildBroker({ env, partner, signingKey: registered.publicKeyPem, journal: createMemoryJournalStore() }),
      ),
    ).toMatchObject({
      message: expect.stringMatching(/signingKey: must be a (PEM )?private key/),
    });
    const bad = errorOf(() =>
      buildBroker({
        env,
        partner: { jwt: { ...partner.jwt, issuer: '' } },
        signingKey: registered.privateKeyPem,
        journal: createMemoryJournalStore(),
      }),
    );
    expect((bad as Error).message).toMatch(/partner\.jwt\.issuer: must not be empty/);
  });

  it('accepts the matching pair', async () => {
    const app = buildBroker({
      env,
      partner,
      signingKey: registered.privateKeyPem,
      journal: createMemoryJournalStore(),
    });
    await app.ready();
    await app.close();
  });
});
