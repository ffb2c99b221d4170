import { afterEach, describe, expect, it } from 'vitest';
import { buildBroker } from '../src/server.js';
import { postCustomer, readLines, startBrokerHarness, type BrokerHarness, type Line } from './helpers.js';

const globex = { customerId: 'globex', name: 'Globex', alias: 'globex' };

describe('examples/broker failures (strict simulator)', () => {
  let h: BrokerHarness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  it('a failed step ends the stream with a failed result naming the step, and the state shows it; no secrets', async () => {
    h = await startBrokerHarness();
    // The alias belongs to a deactivated tenant: it refuses the broker's OAuth client (403), so onboarding stops there.
    const blocked = h.world.sim.state.createTenant({
      region: 'eu',
      hostnames: ['blocked.eu.qlikcloud.com', 'globex.eu.qlikcloud.com'],
      license: {
        licenseNumber: '1',
        product: 'Qlik Cloud Analytics (OEM)',
        allotments: [{ name: 'professional', units: 1 }],
      },
    });
    blocked.status = 'disabled';
    const licenseKey = (await h.world.env.source().licenses.GET('/api/v1/licenses/overview')).data!.licenseKey;

    const response = await postCustomer(h.url, globex);
    expect(response.status).toBe(200);
    const { lines, text } = await readLines(response);
    expect(lines.find((line) => line.type === 'step:fail')).toMatchObject({
      step: 'tenant',
      error: { name: 'QlikAuthError', status: 403 },
    });
    expect(lines.at(-1)).toEqual({
      type: 'result',
      customerId: 'globex',
      status: 'failed',
      tenantHost: null,
      publishedAppId: null,
      webIntegrationId: null,
      error: {
        step: 'tenant',
        message: expect.stringMatching(
          /^Recipe "provisionCustomer" failed for customer "globex" at step "tenant": .*403/,
        ),
        code: expect.any(String),
      },
    });
    expect(text).not.toContain(licenseKey);
    // Nothing after the tenant step ran: no customization either.
    expect(lines.some((line) => line.recipe === 'customizeTenant')).toBe(false);

    const state = (await (await fetch(`${h.url}/customers/globex`)).json()) as {
      tenantHost: null;
      runs: Array<{ status: string; steps: Array<{ step: string; action: string; error?: { message: string } }> }>;
    };
    expect(state.tenantHost).toBeNull();
    expect(state.runs).toHaveLength(1);
    expect(state.runs[0]!.status).toBe('failed');
    expect(state.runs[0]!.steps.at(-1)).toMatchObject({
      step: 'tenant',
      action: 'failed',
      error: { message: expect.stringMatching(/403/) },
    });
    expect(JSON.stringify(state)).not.toContain(licenseKey);
    expect(h.world.sim.violations).toEqual([]);
  });

  it('a customer held by another process (the journal lock) gets 409 before anything is written to Qlik', async () => {
    h = await startBrokerHarness();
    const release = await h.journal.lock!('globex');
    const before = h.requests.length;
    const response = await postCustomer(h.url, globex);
    expect(response.status).toBe(409);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe('customer-busy');
    // Only the fleet's reads before its first write (template, alias) reached Qlik.
    expect(h.requests.slice(before).filter((r) => r.method !== 'GET' && r.path !== '/oauth/token')).toEqual([]);
    await release();

    const { lines } = await readLines(await postCustomer(h.url, globex));
    expect(lines.at(-1)).toMatchObject({ type: 'result', status: 'provisioned' });
  });

  it('closing the broker aborts a run in flight (its stream says so); a new broker on the same journal resumes it without duplicates', async () => {
    h = await startBrokerHarness();
    const response = await postCustomer(h.url, globex);
    const seen: Line[] = [];
    let closing: Promise<void> | undefined;
    const { lines } = await readLines(response, (line) => {
      seen.push(line);
      if (line.type === 'step:done' && line.step === 'tenant') closing ??= h!.app.close();
    });
    await closing;
    expect(lines.at(-1)).toMatchObject({
      type: 'result',
      status: 'aborted',
      error: { code: 'aborted', message: expect.stringMatching(/shutting down.*resume/) },
    });
    expect(lines.some((line) => line.type === 'step:start' && line.step === 'publish')).toBe(false);

    const again = buildBroker({ ...h.world, journal: h.journal });
    const url = await again.listen({ host: '127.0.0.1', port: 0 });
    try {
      const resumed = await readLines(await postCustomer(url, globex));
      expect(resumed.lines.at(-1)).toMatchObject({
        type: 'result',
        status: 'provisioned',
        tenantHost: 'globex.eu.qlikcloud.com',
      });
      // The tenant created before the abort was found again, not created twice.
      expect(resumed.lines.find((line) => line.step === 'tenant' && line.type !== 'step:start')).toMatchObject({
        type: 'step:skip',
      });
      expect(
        h
          .writes()
          .filter((r) => r.host === 'register.eu.qlikcloud.com' && r.path === '/api/v1/tenants' && r.status < 300),
      ).toHaveLength(1);
    } finally {
      await again.close();
    }
    expect(h.world.sim.violations).toEqual([]);
  });

  it('a client that disconnects does not stop the run: GET shows it running, then provisioned', async () => {
    let openGate!: () => void;
    const gate = new Promise<void>((resolve) => (openGate = resolve));
    h = await startBrokerHarness({}, (method, path) =>
      method === 'POST' && path === '/api/v1/reloads' ? gate : undefined,
    );
    const controller = new AbortController();
    const response = await fetch(`${h.url}/customers`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(globex),
      signal: controller.signal,
    });
    expect(response.status).toBe(200);
    controller.abort();
    await expect(response.text()).rejects.toThrow();

    const state = async () =>
      (await (await fetch(`${h!.url}/customers/globex`)).json()) as {
        runs: Array<{ recipe: string; status: string }>;
        publishedAppId: string | null;
      };
    expect((await state()).runs[0]).toMatchObject({ recipe: 'provisionCustomer', status: 'running' });
    openGate();
    let last = await state();
    const finished = () => last.runs[0]?.recipe === 'customizeTenant' && last.runs[0].status !== 'running';
    for (let attempt = 0; attempt < 100 && !finished(); attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      last = await state();
    }
    expect(last.runs.map((run) => [run.recipe, run.status])).toEqual([
      ['customizeTenant', 'provisioned'],
      ['provisionCustomer', 'provisioned'],
    ]);
    expect(last.publishedAppId).toEqual(expect.any(String));
  });
});
