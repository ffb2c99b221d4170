import { inspect } from 'node:util';
import { isQlikDriftError, isQlikError, isQlikNotFoundError, isQlikValidationError } from '@qlik-oem/core';
import { createQrsClient } from '@qlik-oem/qrs';
import { describe, expect, it, vi } from 'vitest';
import { DistributionApiDriftError, createDeployment, getDeploymentToken, listDeployments } from '../src/index.js';

/** A QRS client whose every call is answered by `respond` (the hds API is private: unit tests pin its shape). */
function clientAnswering(respond: (request: Request) => Response) {
  const requests: Request[] = [];
  const fetch = vi.fn(async (request: Request) => {
    requests.push(request);
    return respond(request);
  });
  const qrs = createQrsClient({
    host: 'qseow.example.com',
    prefix: 'jwt',
    auth: { type: 'jwt', token: 'header.payload.sig' },
    fetch,
    pacing: false,
    retry: false,
  });
  return { qrs, requests, fetch };
}

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

describe('hds deployments client', () => {
  it('creates a deployment with the documented body, through the virtual proxy, without an Xrfkey', async () => {
    const { qrs, requests } = clientAnswering(() =>
      json(201, { id: 'd-1', name: 'customer-a', audience: 'qlik.api', extra: 'kept' }),
    );
    const deployment = await createDeployment(qrs, { name: 'customer-a', tenantHost: 'https://a.eu.qlikcloud.com/' });
    expect(deployment).toMatchObject({ id: 'd-1', name: 'customer-a', extra: 'kept' });
    const sent = requests[0]!;
    expect(sent.method).toBe('POST');
    expect(sent.url).toBe('https://qseow.example.com/jwt/api/hds/v1/Deployments');
    expect(sent.headers.get('authorization')).toBe('Bearer header.payload.sig');
    expect(sent.headers.get('x-qlik-xrfkey')).toBeNull();
    expect(await sent.json()).toEqual({
      name: 'customer-a',
      audience: 'qlik.api',
      serviceUrl: 'https://a.eu.qlikcloud.com',
      localBearerToken: true,
    });
  });

  it('fails with DistributionApiDriftError naming the call and the mismatch when the response shape changed', async () => {
    const { qrs } = clientAnswering(() => json(201, { deploymentId: 'd-1', name: 'customer-a' }));
    const error = await createDeployment(qrs, { name: 'customer-a', tenantHost: 'a.eu.qlikcloud.com' }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(DistributionApiDriftError);
    expect(isQlikError(error)).toBe(true);
    // Its own kind: not bad input (it has no `issues`), so validation handlers do not take it.
    expect(isQlikDriftError(error)).toBe(true);
    expect(isQlikValidationError(error)).toBe(false);
    expect(error).toMatchObject({ call: 'createDeployment', status: 201 });
    expect((error as Error).message).toMatch(/createDeployment.*id/);

    const { qrs: listing } = clientAnswering(() => json(200, { items: [] }));
    await expect(listDeployments(listing)).rejects.toMatchObject({
      name: 'DistributionApiDriftError',
      call: 'listDeployments',
    });

    const { qrs: htmlCreate } = clientAnswering(
      () => new Response('<html>login</html>', { status: 200, headers: { 'content-type': 'text/html' } }),
    );
    await expect(createDeployment(htmlCreate, { name: 'x', tenantHost: 'a.eu.qlikcloud.com' })).rejects.toMatchObject({
      call: 'createDeployment',
      mismatch: expect.stringMatching(/expected JSON/),
    });
  });

  it('reads the token as plain text and never puts it in a drift error', async () => {
    const token = 'eyJpc3N1ZXIiOiJxc2VvdyJ9c2VjcmV0';
    const { qrs, requests } = clientAnswering(
      () => new Response(`${token}\n`, { status: 200, headers: { 'content-type': 'text/plain' } }),
    );
    expect(await getDeploymentToken(qrs, 'd-1')).toBe(token);
    expect(requests[0]!.url).toBe(
      'https://qseow.example.com/jwt/api/hds/v1/Deployments/d-1/elastictokenconfig?qcsFormat=True',
    );

    const leaky = 'part1 secret-part2';
    const { qrs: broken } = clientAnswering(() => new Response(leaky, { status: 200 }));
    const error = await getDeploymentToken(broken, 'd-1').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DistributionApiDriftError);
    expect(`${(error as Error).message} ${inspect(error)} ${JSON.stringify(error)}`).not.toContain('secret-part2');
  });

  it('maps HTTP errors to the core error kinds and validates input before any call', async () => {
    const { qrs } = clientAnswering(() => new Response('Not found', { status: 404 }));
    expect(isQlikNotFoundError(await getDeploymentToken(qrs, 'd-404').catch((e: unknown) => e))).toBe(true);
    const { qrs: idle, fetch } = clientAnswering(() => json(200, {}));
    expect(
      isQlikValidationError(
        await createDeployment(idle, { name: '', tenantHost: 'a.eu.qlikcloud.com' }).catch((e: unknown) => e),
      ),
    ).toBe(true);
    expect(
      isQlikValidationError(
        await createDeployment(idle, { name: 'x', tenantHost: 'https://a.eu.qlikcloud.com/path?q' }).catch(
          (e: unknown) => e,
        ),
      ),
    ).toBe(true);
    expect(isQlikValidationError(await getDeploymentToken(idle, '../../qrs/app').catch((e: unknown) => e))).toBe(true);
    expect(fetch).not.toHaveBeenCalled();
  });

  it('follows a paged listing within the site only: a next link to another host is drift, never sent', async () => {
    const { qrs, requests } = clientAnswering((request) =>
      new URL(request.url).searchParams.has('next')
        ? json(200, { data: [{ id: 'd-2', name: 'b' }], links: {} })
        : json(200, {
            data: [{ id: 'd-1', name: 'a' }],
            links: { next: { href: '/jwt/api/hds/v1/Deployments?next=2' } },
          }),
    );
    expect((await listDeployments(qrs)).map((d) => d.id)).toEqual(['d-1', 'd-2']);
    expect(requests[1]!.url).toBe('https://qseow.example.com/jwt/api/hds/v1/Deployments?next=2');

    const away = clientAnswering(() =>
      json(200, { data: [], links: { next: { href: 'https://elsewhere.example.com/jwt/api/hds/v1/Deployments' } } }),
    );
    const error = await listDeployments(away.qrs).catch((e: unknown) => e);
    expect(isQlikDriftError(error)).toBe(true);
    expect((error as Error).message).toContain('elsewhere.example.com');
    expect(away.requests).toHaveLength(1);
  });
});
