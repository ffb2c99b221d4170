import { generateKeyPairSync } from 'node:crypto';
import { inspect } from 'node:util';
import { QlikValidationError } from '@qlik-oem/core';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  customerIdSchema,
  dataConnectionSchema,
  groupNameSchema,
  licenseSourceSchema,
  parseInput,
  publicKeyPemSchema,
  regionSchema,
  spaceNameSchema,
  tenantAliasSchema,
  tenantHostnameSchema,
} from '../src/schemas.js';
import { Secret } from '../src/index.js';

/** The message of the QlikValidationError thrown for `value`, or undefined when it is valid. */
function problem(schema: z.ZodType, value: unknown, label = 'field'): string | undefined {
  try {
    parseInput(z.object({ [label]: schema }), { [label]: value }, { label: 'input' });
    return undefined;
  } catch (error) {
    expect(error).toBeInstanceOf(QlikValidationError);
    return (error as Error).message;
  }
}

const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
const publicPem = rsa.publicKey.export({ type: 'spki', format: 'pem' }).toString();
const privatePem = rsa.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
const rsaPrivatePem = rsa.privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();

describe('input schemas', () => {
  it('names the field with array indexes in brackets', () => {
    const customers = z.array(z.object({ alias: tenantAliasSchema }));
    const error = (() => {
      try {
        parseInput(customers, [{ alias: 'a' }, { alias: 'b' }, { alias: 'c' }, { alias: 'Bad_Alias' }], {
          label: 'customers',
          path: ['customers'],
        });
      } catch (e) {
        return e as QlikValidationError;
      }
    })();
    expect(error).toBeInstanceOf(QlikValidationError);
    expect(error?.message).toBe(
      'Invalid customers: customers[3].alias: must be a DNS label (lowercase letters, digits, hyphens)',
    );
    expect(error?.issues).toEqual([
      { path: ['customers', 3, 'alias'], message: 'must be a DNS label (lowercase letters, digits, hyphens)' },
    ]);
  });

  it('checks tenant hostnames, lower-casing them', () => {
    expect(tenantHostnameSchema.parse('Acme.EU.qlikcloud.com')).toBe('acme.eu.qlikcloud.com');
    expect(licenseSourceSchema.parse('source.us.qlikcloud.com')).toBe('source.us.qlikcloud.com');
    expect(problem(tenantHostnameSchema, 'https://acme.eu.qlikcloud.com', 'tenantHost')).toContain(
      'tenantHost: must be a hostname without a scheme',
    );
    expect(problem(tenantHostnameSchema, 'acme.eu.qlikcloud.com/api', 'tenantHost')).toContain('without a path');
    expect(problem(tenantHostnameSchema, 'acme.qlik.com', 'tenantHost')).toContain(
      'must be a Qlik Cloud tenant hostname: <tenant>.<region>.qlikcloud.com',
    );
    expect(problem(tenantHostnameSchema, 'acme.xx.qlikcloud.com', 'tenantHost')).toContain('unknown region "xx"');
    expect(problem(tenantHostnameSchema, 'register.eu.qlikcloud.com', 'tenantHost')).toContain('registration host');
    expect(problem(tenantHostnameSchema, 42, 'tenantHost')).toBe('Invalid input: tenantHost: must be a string');
  });

  it('accepts the known regions only', () => {
    for (const region of ['us', 'eu', 'uk', 'de', 'sg', 'ap', 'jp', 'in'])
      expect(regionSchema.parse(region)).toBe(region);
    expect(problem(regionSchema, 'mars', 'region')).toMatch(
      /^Invalid input: region: must be a Qlik Cloud region: us, eu, uk/,
    );
  });

  it('accepts a PEM public key and rejects a private key with a clear message that does not echo it', () => {
    expect(publicKeyPemSchema.parse(publicPem)).toBe(publicPem);
    for (const pem of [privatePem, rsaPrivatePem]) {
      const message = problem(publicKeyPemSchema, pem, 'jwtPublicKey');
      expect(message).toContain('jwtPublicKey: is a private key; pass the public key instead');
      expect(message).not.toContain(pem.split('\n')[1]!);
    }
    expect(problem(publicKeyPemSchema, 'not a key', 'jwtPublicKey')).toContain('must be a PEM public key');
    const corrupted = publicPem.replace(/\n[A-Za-z0-9+/]{10}/, '\n!!!!!!!!!!');
    expect(problem(publicKeyPemSchema, corrupted, 'jwtPublicKey')).toContain('could not be parsed');
    // A key parsed once is not parsed again (a fleet validates every customer with the same key); a bad one is, each time.
    expect(publicKeyPemSchema.parse(publicPem)).toBe(publicPem);
    expect(problem(publicKeyPemSchema, corrupted, 'jwtPublicKey')).toContain('could not be parsed');
  });

  it("applies Qlik's space name rules", () => {
    expect(spaceNameSchema.parse('Finance (dev)')).toBe('Finance (dev)');
    expect(problem(spaceNameSchema, 'a/b', 'spaceName')).toContain(
      'spaceName: must not contain any of " * ? < > / | \\ :',
    );
    expect(problem(spaceNameSchema, 'x'.repeat(257), 'spaceName')).toContain('must be at most 256 characters');
    expect(problem(spaceNameSchema, '', 'spaceName')).toContain('must not be empty');
    expect(problem(spaceNameSchema, '   ', 'spaceName')).toContain('must not be blank');
  });

  it('limits group names and customer ids', () => {
    expect(groupNameSchema.parse('Sales EMEA')).toBe('Sales EMEA');
    expect(problem(groupNameSchema, 'g'.repeat(257), 'group')).toContain('group: must be at most 256 characters');
    expect(customerIdSchema.parse('cust-001.eu_2')).toBe('cust-001.eu_2');
    expect(problem(customerIdSchema, '../etc', 'customerId')).toContain('customerId: must be letters, digits');
  });

  it('validates data connection settings without leaking the secret', () => {
    const parsed = dataConnectionSchema.parse({
      name: 'acme-sales',
      datasourceId: 'postgres',
      connectionString: 'host=db.acme.internal;database=sales',
      username: 'reader',
      password: 'hunter2-very-secret',
    });
    expect(parsed.password).toBeInstanceOf(Secret);
    expect(parsed.password?.reveal()).toBe('hunter2-very-secret');
    const shown = JSON.stringify(parsed) + inspect(parsed) + String(parsed.password);
    expect(shown).not.toContain('hunter2');
    expect(shown).toContain('[REDACTED]');

    const message = problem(
      dataConnectionSchema,
      { name: 'acme-sales', datasourceId: 'postgres', connectionString: '  ', password: 'hunter2-very-secret' },
      'connection',
    );
    expect(message).toBe('Invalid input: connection.connectionString: must not be empty');
    const missing = problem(dataConnectionSchema, { name: '', password: 'hunter2-very-secret' }, 'connection');
    expect(missing).toContain('connection.name: must not be empty');
    expect(missing).toContain('connection.datasourceId: must be a string');
    expect(missing).not.toContain('hunter2');
  });
});
