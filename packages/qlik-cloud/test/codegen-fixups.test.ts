import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { applyFixups, operationsOf } from '../scripts/fixups.js';

const spec = (api: string) =>
  JSON.parse(readFileSync(new URL(`../../../specs/qlik-cloud/${api}.json`, import.meta.url), 'utf8')) as Record<
    string,
    unknown
  >;
type Json = Record<string, any>;

describe('codegen fix-ups', () => {
  it('strips Authorization header parameters (required in reloads and audits, optional in licenses)', () => {
    for (const api of ['reloads', 'audits', 'licenses', 'reload-tasks']) {
      const original = spec(api);
      const hasAuthParam = (s: Record<string, unknown>) =>
        operationsOf(s).some(({ operation }) =>
          ((operation.parameters as Json[] | undefined) ?? []).some(
            (p) => p.in === 'header' && String(p.name).toLowerCase() === 'authorization',
          ),
        );
      expect(hasAuthParam(original)).toBe(true);
      expect(hasAuthParam(applyFixups(api, original))).toBe(false);
    }
  });

  it('maps the identity-provider discriminators to protocol values', () => {
    const fixed: Json = applyFixups('identity-providers', spec('identity-providers'));
    expect(fixed.components.schemas.IDPPostSchema.discriminator.mapping).toEqual({
      OIDC: '#/components/schemas/CreateOIDCPayload',
      jwtAuth: '#/components/schemas/CreateJWTAuthPayload',
      SAML: '#/components/schemas/CreateSAMLPayload',
    });
    expect(fixed.components.schemas.IDP.discriminator.mapping.jwtAuth).toBe('#/components/schemas/IDPJWTAuth');
  });

  it('gives /users/me and /tenants/me a JSON 200 and keeps the declared redirect', () => {
    const users: Json = applyFixups('users', spec('users'));
    expect(users.paths['/api/v1/users/me'].get.responses['200'].content['application/json'].schema.$ref).toBe(
      '#/components/schemas/User',
    );
    expect(users.paths['/api/v1/users/me'].get.responses['301']).toBeDefined();
    const tenants: Json = applyFixups('tenants', spec('tenants'));
    expect(tenants.paths['/api/v1/tenants/me'].get.responses['200'].content['application/json'].schema.$ref).toBe(
      '#/components/schemas/Tenant',
    );
  });

  it('declares the reloadId path parameter the apps spec forgot, and never mutates its input', () => {
    const original = spec('apps') as Json;
    const before = JSON.stringify(original);
    const fixed: Json = applyFixups('apps', original);
    const params = fixed.paths['/api/v1/apps/{appId}/reloads/metadata/{reloadId}'].get.parameters as Json[];
    expect(
      params
        .filter((p) => p.in === 'path')
        .map((p) => p.name)
        .sort(),
    ).toEqual(['appId', 'reloadId']);
    expect(JSON.stringify(original)).toBe(before);
  });

  it('orders paths deterministically', () => {
    const fixed: Json = applyFixups('spaces', spec('spaces'));
    const keys = Object.keys(fixed.paths);
    expect(keys).toEqual([...keys].sort());
  });

  it('turns title-only oneOf enums into enums of their titles (apps PublishData, UsageEnum)', () => {
    const fixed: Json = applyFixups('apps', spec('apps'));
    expect(fixed.components.schemas.PublishData).toMatchObject({ type: 'string', enum: ['source', 'target'] });
    expect(fixed.components.schemas.PublishData.oneOf).toBeUndefined();
    expect(fixed.components.schemas.UsageEnum.enum).toContain('ANALYTICS');
  });
});
