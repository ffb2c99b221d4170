import { inspect } from 'node:util';
import { isQlikValidationError } from '@qlik-oem/core';
import { http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import {
  apiKey,
  createMultiCloudIdentityProvider,
  createQlikCloud,
  multiCloudIdentityProviderBody,
  type MultiCloudIdentityProviderInput,
} from '../src/index.js';
import { BASE, fastTransport, TENANT, useMockServer } from './helpers.js';

const server = useMockServer();
const TOKEN_CONFIG = 'eyJhbGciOi-local-bearer-token-config';

describe('createMultiCloudIdentityProvider', () => {
  it('posts the documented multi-cloud body and returns the created IdP', async () => {
    let body: unknown;
    server.use(
      http.post(`${BASE}/api/v1/identity-providers`, async ({ request }) => {
        body = await request.json();
        return HttpResponse.json(
          { id: 'idp-1', protocol: 'qsefw-local-bearer-token', provider: 'qlik', tenantIds: ['t1'], active: true },
          { status: 201 },
        );
      }),
    );
    const qc = createQlikCloud({ host: TENANT, auth: apiKey('k'), ...fastTransport });
    const { data, error, response } = await createMultiCloudIdentityProvider(qc.identityProviders, {
      base64Encoded: TOKEN_CONFIG,
      tenantId: 't1',
      description: 'QSEoW deployment prod',
    });
    expect(error).toBeUndefined();
    expect(response.status).toBe(201);
    expect(data?.id).toBe('idp-1');
    expect(body).toEqual({
      provider: 'qlik',
      protocol: 'qsefw-local-bearer-token',
      interactive: false,
      description: 'QSEoW deployment prod',
      base64Encoded: TOKEN_CONFIG,
      tenantIds: ['t1'],
    });
  });

  it('validates before any request and never echoes the token', async () => {
    const qc = createQlikCloud({ host: TENANT, auth: apiKey('k'), ...fastTransport });
    for (const input of [
      { base64Encoded: '', tenantId: 't1' },
      { base64Encoded: TOKEN_CONFIG, tenantId: ' ' },
      { base64Encoded: TOKEN_CONFIG, tenantId: 't1', description: 'x'.repeat(2000) },
    ]) {
      const error = await createMultiCloudIdentityProvider(qc.identityProviders, input).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(isQlikValidationError(error)).toBe(true);
      expect(inspect(error)).not.toContain(TOKEN_CONFIG);
    }
  });

  it('builds exactly the documented body, whatever else the input carries', async () => {
    const input = { base64Encoded: 'x', tenantId: 't1', interactive: true, options: {} };
    expect(await multiCloudIdentityProviderBody(input as MultiCloudIdentityProviderInput)).toStrictEqual({
      provider: 'qlik',
      protocol: 'qsefw-local-bearer-token',
      interactive: false,
      base64Encoded: 'x',
      tenantIds: ['t1'],
    });
  });
});
