import { describe, expect, it } from 'vitest';
import { createTierResolver, QLIK_TIERS } from '../src/index.js';

const reloads = { name: 'reloads-create', perMinute: 50 };

describe('createTierResolver', () => {
  const resolve = createTierResolver(
    [
      { method: 'get', path: '/api/v1/apps/{appId}', tier: QLIK_TIERS.tier1 },
      { method: 'POST', path: '/api/v1/apps/{appId}/copy', tier: QLIK_TIERS.tier2 },
      { method: 'POST', path: '/api/v1/apps/import', tier: QLIK_TIERS.tier2 },
      { method: 'POST', path: '/api/v1/apps/{appId}', tier: QLIK_TIERS.tier1 },
      { method: 'POST', path: '/api/v1/reloads', tier: reloads },
    ],
    QLIK_TIERS.tier2,
  );
  const at = (method: string, path: string) => resolve(method, new URL(`https://t.eu.qlikcloud.com${path}`));

  it('matches concrete paths against templates by method', () => {
    expect(at('GET', '/api/v1/apps/abc-123')).toBe(QLIK_TIERS.tier1);
    expect(at('POST', '/api/v1/apps/abc/copy')).toBe(QLIK_TIERS.tier2);
    expect(at('POST', '/api/v1/reloads')).toBe(reloads);
    expect(at('POST', '/api/v1/reloads/')).toBe(reloads);
  });

  it('prefers literal segments over parameters', () => {
    const literalWins = createTierResolver([
      { method: 'POST', path: '/api/v1/apps/{appId}', tier: QLIK_TIERS.tier1 },
      { method: 'POST', path: '/api/v1/apps/import', tier: reloads },
    ]);
    expect(literalWins('POST', new URL('https://t/api/v1/apps/import'))).toBe(reloads);
    expect(literalWins('POST', new URL('https://t/api/v1/apps/other'))).toBe(QLIK_TIERS.tier1);
  });

  it('falls back for unknown requests', () => {
    expect(at('DELETE', '/api/v1/apps/abc')).toBe(QLIK_TIERS.tier2);
    expect(at('GET', '/api/v1/unknown/x/y')).toBe(QLIK_TIERS.tier2);
    expect(createTierResolver([])('GET', new URL('https://t/x'))).toBeUndefined();
  });
});
