// The sample partner and customers the e2e tests and the scale children provision. No vitest here: child processes
// (the heap test's) import it outside a test runner.
import { generateKeyPairSync } from 'node:crypto';
import type { PartnerConfigInput } from '../../src/recipes/customer.js';

const keys = generateKeyPairSync('ec', { namedCurve: 'P-256' });

/** The private half of `samplePartner().jwt`: what the partner's broker signs end users' JWTs with. */
export const samplePartnerPrivateKey = keys.privateKey;

/** A partner configuration with a freshly generated signing key. */
export function samplePartner(overrides: Partial<PartnerConfigInput> = {}): PartnerConfigInput {
  return {
    jwt: {
      issuer: 'https://broker.partner.example',
      keyId: 'partner-key-1',
      publicKeyPem: keys.publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    },
    groups: {
      consumers: 'Analytics Consumers',
      contributors: 'Analytics Contributors',
      additional: ['Partner Support'],
    },
    spaces: { shared: '{name} (development)', managed: '{name}' },
    ...overrides,
  };
}

export function sampleCustomers(count: number, offset = 0) {
  return Array.from({ length: count }, (_, i) => {
    const n = String(i + offset + 1).padStart(3, '0');
    return { customerId: `c${n}`, name: `Customer ${n}`, alias: `customer-${n}`, allowContributors: i % 2 === 0 };
  });
}
