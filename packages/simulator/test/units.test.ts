import { describe, expect, it } from 'vitest';
import { applyJsonPatch } from '../src/apis/json-patch.js';
import { compileScimFilter, bundledSpecsDir, SpecCatalog, SpecValidator } from '../src/index.js';

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

describe('JSON-Patch', () => {
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
    expect(() => applyJsonPatch(doc, [{ op: 'test', path: '/a', value: 5 }])).toThrow(/Test failed/);
    expect(() => applyJsonPatch(doc, [{ op: 'replace', path: '/missing', value: 5 }])).toThrow(/Path not found/);
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

  it('reads the tier of an operation from x-qlik-tier', () => {
    expect(catalog.operation('users', 'POST', '/api/v1/users/actions/filter')?.tier).toEqual({
      name: 'special:users:200',
      perMinute: 200,
      windowMinutes: 5,
    });
    expect(catalog.operation('tenants', 'POST', '/api/v1/tenants')?.tier.name).toBe('tier2');
  });
});
