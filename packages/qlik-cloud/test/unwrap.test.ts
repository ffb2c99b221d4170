import { isQlikConflictError, isQlikPermissionError, isQlikRateLimitError } from '@qlik-oem/core';
import { http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import { apiKey, createQlikCloud, unwrap } from '../src/index.js';
import { BASE, fastTransport, TENANT, useMockServer } from './helpers.js';

const server = useMockServer();
const qc = () => createQlikCloud({ host: TENANT, auth: apiKey('k'), ...fastTransport });

describe('unwrap', () => {
  it('returns data on success and undefined for 204', async () => {
    server.use(
      http.get(`${BASE}/api/v1/spaces/:id`, () => HttpResponse.json({ id: 'sp1', name: 'Prod', type: 'managed' })),
      http.delete(`${BASE}/api/v1/spaces/:id`, () => new HttpResponse(null, { status: 204 })),
    );
    const space = unwrap(await qc().spaces.GET('/api/v1/spaces/{spaceId}', { params: { path: { spaceId: 'sp1' } } }));
    expect(space.name).toBe('Prod');
    expect(
      unwrap(await qc().spaces.DELETE('/api/v1/spaces/{spaceId}', { params: { path: { spaceId: 'sp1' } } })),
    ).toBeUndefined();
  });

  it('throws the QlikHttpError kind with Qlik error details', async () => {
    server.use(
      http.post(`${BASE}/api/v1/spaces/:id/assignments`, () =>
        HttpResponse.json(
          { errors: [{ code: 'AssignmentConflict', title: 'Assignment already exists' }] },
          { status: 409 },
        ),
      ),
      http.post(`${BASE}/api/v1/spaces`, () =>
        HttpResponse.json({ errors: [{ code: 'HTTP-403', title: 'Forbidden' }] }, { status: 403 }),
      ),
      http.get(`${BASE}/api/v1/spaces`, () =>
        HttpResponse.json(
          { errors: [{ code: 'HTTP-429', title: 'API rate limit reached.' }] },
          { status: 429, headers: { 'retry-after': '13' } },
        ),
      ),
    );
    const conflict = await qc()
      .spaces.POST('/api/v1/spaces/{spaceId}/assignments', {
        params: { path: { spaceId: 'sp1' } },
        body: { type: 'group', assigneeId: 'g1', roles: ['consumer'] },
      })
      .then(unwrap)
      .catch((e: unknown) => e);
    expect(isQlikConflictError(conflict)).toBe(true);
    expect((conflict as { code: string }).code).toBe('AssignmentConflict');

    const forbidden = await qc()
      .spaces.POST('/api/v1/spaces', { body: { name: 'x', type: 'shared' } })
      .then(unwrap)
      .catch((e: unknown) => e);
    expect(isQlikPermissionError(forbidden)).toBe(true);

    const limited = await qc()
      .spaces.GET('/api/v1/spaces')
      .then(unwrap)
      .catch((e: unknown) => e);
    expect(isQlikRateLimitError(limited)).toBe(true);
    expect((limited as { retryAfterMs: number }).retryAfterMs).toBe(13_000);
  });
});
