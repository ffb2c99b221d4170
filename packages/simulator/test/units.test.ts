import { describe, expect, it } from 'vitest';
import { applyJsonPatch } from '../src/apis/json-patch.js';
import { bundledSpecsDir } from '../src/index.js';
import { compileScimFilter, SpecCatalog, SpecValidator } from '../src/advanced.js';

describe('SCIM filter', () => {
  const users = [
    { name: 'Ada', email: 'ada@x.example', status: 'active', roles: ['TenantAdmin'] },
    { name: 'Bob', email: 'bob@y.example', status: 'invited', roles: [] },
    { name: 'Cy', status: 'disabled', roles: ['Steward'] },
  ];
  const names = (f: string): string[] => users.filter(compileScimFilter(f)).map((u) => u.name);

  it('evaluates comparisons, presence, and/or/not with parentheses, case-insensitively', () => {
    expect(names('email eq "ADA@x.example"')).toEqual(['Ada']);
    expect(names('email ew ".example" and not (status eq "invited")')).toEqual(['Ada']);
    expect(names('(status eq "active" or status eq "disabled") and name sw "c"')).toEqual(['Cy']);
    expect(names('email pr')).toEqual(['Ada', 'Bob']);
    expect(names('roles eq "steward"')).toEqual(['Cy']);
    expect(names('NAME co "o"')).toEqual(['Bob']);
  });

  it('rejects malformed filters with a 400', () => {
    for (const bad of ['name eq', 'name like "x"', '(name eq "a"', 'name eq "a" extra', 'name eq "unterminated']) {
      expect(() => compileScimFilter(bad), bad).toThrow(/Invalid filter|Bad request|400/);
    }
  });
});

describe('JSON-Patch (RFC 6902)', () => {
  it('applies add/replace/remove/test/move/copy to a copy and leaves the original alone', () => {
    const doc = { a: 1, b: { c: [1, 2] } };
    const out = applyJsonPatch(doc, [
      { op: 'replace', path: '/a', value: 2 },
      { op: 'add', path: '/b/c/-', value: 3 },
      { op: 'copy', from: '/a', path: '/d' },
      { op: 'move', from: '/d', path: '/e' },
      { op: 'remove', path: '/b/c/0' },
      { op: 'test', path: '/e', value: 2 },
    ]);
    expect(out).toEqual({ a: 2, b: { c: [2, 3] }, e: 2 });
    expect(doc).toEqual({ a: 1, b: { c: [1, 2] } });
    expect(() => applyJsonPatch(doc, [{ op: 'test', path: '/a', value: 5 }])).toThrow(/400|Bad request/);
    expect(() => applyJsonPatch(doc, [{ op: 'replace', path: '/missing', value: 5 }])).toThrow(/does not exist/);
  });

  it('refuses to remove an array element by a name (§4: the index must be a number)', () => {
    const doc = { roles: ['TenantAdmin', 'Developer'] };
    expect(() => applyJsonPatch(doc, [{ op: 'remove', path: '/roles/foo' }])).toThrow(/remove \/roles\/foo/);
    expect(doc.roles).toEqual(['TenantAdmin', 'Developer']);
  });

  it('refuses to remove past the end of an array, and to add beyond it', () => {
    const doc = { roles: ['TenantAdmin'] };
    expect(() => applyJsonPatch(doc, [{ op: 'remove', path: '/roles/1' }])).toThrow(/does not exist/);
    expect(() => applyJsonPatch(doc, [{ op: 'add', path: '/roles/2', value: 'x' }])).toThrow(/greater than/);
    expect(applyJsonPatch(doc, [{ op: 'add', path: '/roles/1', value: 'x' }]).roles).toEqual(['TenantAdmin', 'x']);
  });

  it('refuses array indices with a leading zero (RFC 6901 §4), which fast-json-patch reads as numbers', () => {
    const doc = { roles: ['TenantAdmin', 'Developer'], nested: [{ a: 0 }, { a: 1 }] };
    for (const op of [
      { op: 'remove', path: '/roles/01' },
      { op: 'replace', path: '/roles/01', value: 'x' },
      { op: 'add', path: '/roles/01', value: 'x' },
      { op: 'test', path: '/roles/00', value: 'TenantAdmin' },
      { op: 'replace', path: '/nested/01/a', value: 2 },
      { op: 'copy', from: '/roles/01', path: '/copied' },
      { op: 'move', from: '/roles/00', path: '/moved' },
    ]) {
      expect(() => applyJsonPatch(doc, [op]), JSON.stringify(op)).toThrow(/not an array index.*leading zero/);
    }
    // "0" itself and an object member named "01" are fine.
    expect(applyJsonPatch(doc, [{ op: 'test', path: '/roles/0', value: 'TenantAdmin' }])).toEqual(doc);
    expect(applyJsonPatch({ byId: { '01': 1 } }, [{ op: 'replace', path: '/byId/01', value: 2 }])).toEqual({
      byId: { '01': 2 },
    });
  });

  it('takes "-" (after the last element) only where a value is added (RFC 6902 §4.1)', () => {
    const doc = { roles: ['TenantAdmin'] };
    expect(applyJsonPatch(doc, [{ op: 'add', path: '/roles/-', value: 'x' }]).roles).toEqual(['TenantAdmin', 'x']);
    expect(applyJsonPatch(doc, [{ op: 'copy', from: '/roles/0', path: '/roles/-' }]).roles).toEqual([
      'TenantAdmin',
      'TenantAdmin',
    ]);
    for (const op of [
      { op: 'remove', path: '/roles/-' },
      { op: 'replace', path: '/roles/-', value: 'x' },
      { op: 'test', path: '/roles/-', value: 'TenantAdmin' },
      { op: 'move', from: '/roles/-', path: '/last' },
      { op: 'add', path: '/roles/-/name', value: 'x' },
    ]) {
      expect(() => applyJsonPatch(doc, [op]), JSON.stringify(op)).toThrow(/"-" is not an element/);
    }
  });

  it('tests objects by deep equality whatever the order of their keys (§4.6)', () => {
    const doc = { page: { hub: { a: 1, b: [1, { c: 2, d: 3 }] } } };
    const sameInOtherOrder = { b: [1, { d: 3, c: 2 }], a: 1 };
    expect(applyJsonPatch(doc, [{ op: 'test', path: '/page/hub', value: sameInOtherOrder }])).toEqual(doc);
    expect(() =>
      applyJsonPatch(doc, [{ op: 'test', path: '/page/hub', value: { a: 1, b: [{ c: 2, d: 3 }, 1] } }]),
    ).toThrow(/Test operation failed/);
  });

  it('is atomic: a failing operation later in the patch leaves nothing applied', () => {
    const doc = { a: 1 };
    expect(() =>
      applyJsonPatch(doc, [
        { op: 'replace', path: '/a', value: 2 },
        { op: 'remove', path: '/nope' },
      ]),
    ).toThrow(/Patch operation 1/);
    expect(doc).toEqual({ a: 1 });
  });

  it('refuses unknown ops and prototype paths with a 400', () => {
    expect(() => applyJsonPatch({}, [{ op: 'set', path: '/a', value: 1 }])).toThrow(/400|Bad request/);
    expect(() => applyJsonPatch({}, [{ op: 'add', path: '/__proto__/polluted', value: 1 }])).toThrow(/banned/);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('spec validation quirks', () => {
  const catalog = new SpecCatalog(bundledSpecsDir());
  const validator = new SpecValidator(catalog);

  it('treats title-only enums as enums (apps publish data: source | target)', () => {
    const op = catalog.operation('apps', 'POST', '/api/v1/apps/{appId}/publish');
    expect(op).toBeDefined();
    const check = (data: string): number =>
      validator.validateRequest(op!, {
        params: { appId: 'a' },
        query: new URLSearchParams(),
        headers: { 'content-type': 'application/json' },
        body: { spaceId: 's', data },
        rawBody: Buffer.from('{}'),
      }).length;
    expect(check('source')).toBe(0);
    expect(check('nonsense')).toBeGreaterThan(0);
  });

  it('accepts overlapping oneOf alternatives (users JSON-Patch values) and custom formats', () => {
    const op = catalog.operation('users', 'PATCH', '/api/v1/users/{userId}');
    const violations = validator.validateRequest(op!, {
      params: { userId: '0123456789abcdef01234567' },
      query: new URLSearchParams(),
      headers: { 'content-type': 'application/json' },
      body: [{ op: 'replace', path: '/assignedRoles', value: [{ name: 'TenantAdmin' }] }],
      rawBody: Buffer.from('[]'),
    });
    expect(violations).toEqual([]);
  });

  it('checks declared response headers: a 201 or 301 without its Location, a 429 without a numeric retry-after', () => {
    const exportOp = catalog.operation('apps', 'POST', '/api/v1/apps/{appId}/export')!;
    const answer = (status: number, headers?: Record<string, string>) =>
      validator.validateResponse(exportOp, { status, contentType: undefined, body: undefined, headers });
    expect(answer(201).map((v) => v.pointer)).toEqual(['/headers/location']);
    expect(answer(201, { Location: '/api/v1/temp-contents/abc' })).toEqual([]);
    const me = catalog.operation('users', 'GET', '/api/v1/users/me')!;
    const redirect = (location: string) =>
      validator.validateResponse(me, { status: 301, contentType: undefined, body: undefined, headers: { location } });
    // A relative reference is a Location as HTTP defines it (RFC 9110 §10.2.2).
    expect(redirect('/api/v1/users/abc')).toEqual([]);
    expect(redirect('https://t.eu.qlikcloud.com/api/v1/users/abc')).toEqual([]);
    expect(redirect('http://[bad').map((v) => v.pointer)).toEqual(['/headers/location']);
    const users = catalog.operation('users', 'GET', '/api/v1/users')!;
    const limited = (headers?: Record<string, string>) =>
      validator
        .validateResponse(users, { status: 429, contentType: 'application/json', body: { errors: [] }, headers })
        .map((v) => v.pointer);
    expect(limited()).toContain('/headers/retry-after');
    expect(limited({ 'retry-after': 'soon' })).toContain('/headers/retry-after');
    expect(limited({ 'retry-after': '30' })).not.toContain('/headers/retry-after');
  });

  it('checks bodies that are not JSON: text where the spec declares no body, a content type it does not declare', () => {
    const importOp = catalog.operation('apps', 'POST', '/api/v1/apps/import')!;
    const notFound = validator.validateResponse(importOp, { status: 404, contentType: 'text/plain', body: 'no space' });
    expect(notFound.map((v) => v.pointer)).toEqual(['/body']);
    const exported = catalog.operation('apps', 'GET', '/api/v1/apps/{appId}')!;
    const html = validator.validateResponse(exported, { status: 200, contentType: 'text/html', body: '<p>app</p>' });
    expect(html.map((v) => v.pointer)).toEqual(['/headers/content-type']);
  });

  it('reads the tier of an operation from x-qlik-tier', () => {
    expect(catalog.operation('users', 'POST', '/api/v1/users/actions/filter')?.tier).toEqual({
      name: 'special:users:200',
      perMinute: 200,
      windowMinutes: 5,
    });
    expect(catalog.operation('tenants', 'POST', '/api/v1/tenants')?.tier.name).toBe('tier2');
  });
});
