import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { strToU8, zipSync } from 'fflate';
import { isQlikValidationError } from '@qlik-oem/core';
import { collectAll, paginate, unwrap, type QlikCloud } from '@qlik-oem/qlik-cloud';
import { startSimulator, type Simulator } from '@qlik-oem/simulator';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { tenantCustomizationSchema } from '../src/schemas.js';
import {
  createMemoryJournalStore,
  customizeTenant,
  defineRecipe,
  planCustomizeTenant,
  planRecipe,
  type CustomizeTenantInputRaw,
  type TenantCustomization,
} from '../src/index.js';
import { customizeTenantSteps } from '../src/steps.js';
import { SIM_SOURCE_TENANT, sourceTenantAdmin } from './helpers/sim-access.js';

const HOST = SIM_SOURCE_TENANT;

/** An extension or theme archive as Qlik takes it: its `.qext` manifest (Qlik names the bundle after it) and code. */
const zip = (qextFilename: string, code: string) =>
  zipSync(
    {
      [`${qextFilename}.qext`]: strToU8(
        JSON.stringify({ name: qextFilename, type: 'visualization', version: '1.0.0' }),
      ),
      [`${qextFilename}.js`]: strToU8(code),
    },
    { mtime: '2026-01-01T00:00:00Z' },
  ); // the same bytes on every call
const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3]);
const ICO = new Uint8Array([0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 9, 9]);

let sim: Simulator;
let qc: QlikCloud;
let dir: string;
/** Write requests (not GETs, not token requests) the SDK sent, as "METHOD /path". */
const writes: string[] = [];
/** Writes whose multipart body carried a file part. */
const uploads: string[] = [];

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'customize-tenant-'));
  writeFileSync(join(dir, 'logo.png'), PNG);
  writeFileSync(join(dir, 'logo-v2.png'), new Uint8Array([...PNG, 4, 5]));
  writeFileSync(join(dir, 'styles.json'), JSON.stringify({ primaryColor: '#123456' }));
  writeFileSync(join(dir, 'empty.zip'), new Uint8Array());
});
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

// Every test gets a tenant of its own and sets up the state it starts from.
beforeEach(async () => {
  sim = await startSimulator({ strict: true, latency: false });
  const countingFetch: typeof fetch = async (input, init) => {
    const request = new Request(input, init);
    const path = new URL(request.url).pathname;
    if (request.method !== 'GET' && path !== '/oauth/token') {
      writes.push(`${request.method} ${path}`);
      if ((await request.clone().text()).includes('name="file"')) uploads.push(`${request.method} ${path}`);
    }
    return sim.nodeFetch(request);
  };
  qc = sourceTenantAdmin(sim, countingFetch);
});
afterEach(async () => {
  try {
    // Every test sent and received only spec-valid traffic.
    expect(sim.violations).toEqual([]);
  } finally {
    await sim.close();
  }
});

/** The partner's brand: its logo, favicon and styles. */
const partnerBrand = (overrides: Partial<NonNullable<CustomizeTenantInputRaw['brand']>> = {}) => ({
  name: 'Partner brand',
  description: 'Partner look',
  logo: join(dir, 'logo.png'),
  favicon: { name: 'favicon.ico', bytes: ICO },
  styles: join(dir, 'styles.json'),
  ...overrides,
});

const input = (overrides: Partial<CustomizeTenantInputRaw> = {}): CustomizeTenantInputRaw => ({
  customerId: 'acme',
  tenantHost: HOST,
  webIntegration: { name: 'Partner product', validOrigins: ['https://app.partner.example'] },
  cspOrigins: [
    { name: 'Partner product', origin: 'https://app.partner.example', directives: ['frameAncestors', 'frameSrc'] },
    { name: 'Partner CDN', origin: 'cdn.partner.example', directives: ['imgSrc', 'fontSrc'] },
  ],
  brand: partnerBrand(),
  extensions: [{ name: 'partner-chart', file: { name: 'partner-chart.zip', bytes: zip('partner-chart', 'chart v1') } }],
  themes: [{ name: 'partner-theme', file: { name: 'partner-theme.zip', bytes: zip('partner-theme', 'theme v1') } }],
  ...overrides,
});

/** The extension after its second release. */
const chartV2 = (): CustomizeTenantInputRaw['extensions'] => [
  { name: 'partner-chart', file: { name: 'partner-chart.zip', bytes: zip('partner-chart', 'chart v2') } },
];

/** The customization after a round of changes: a second origin, narrower CSP, a new logo, the chart's v2. */
const revised = (): Partial<CustomizeTenantInputRaw> => ({
  webIntegration: {
    name: 'Partner product',
    validOrigins: ['https://app.partner.example', 'https://staging.partner.example'],
  },
  cspOrigins: [
    { name: 'Partner product', origin: 'https://app.partner.example', directives: ['frameAncestors'] },
    { name: 'Partner CDN', origin: 'cdn.partner.example', directives: ['imgSrc', 'fontSrc'] },
  ],
  brand: partnerBrand({ logo: join(dir, 'logo-v2.png') }),
  extensions: chartV2(),
});

async function run(raw: CustomizeTenantInputRaw) {
  writes.length = 0;
  uploads.length = 0;
  const result = await customizeTenant(qc, raw, { journal: createMemoryJournalStore() });
  return { result, writes: [...writes], uploads: [...uploads] };
}

const actions = (result: { steps: Array<{ step: string; action: string }> }) =>
  Object.fromEntries(result.steps.map((s) => [s.step, s.action]));

describe('customizeTenant against the strict simulator', () => {
  it('creates the web integration, CSP origins, an active brand, the extension and the theme', async () => {
    const { result, writes } = await run(input());
    expect(result.status).toBe('provisioned');
    expect(actions(result)).toEqual({
      webIntegration: 'create',
      cspOrigins: 'create',
      brand: 'create',
      extensions: 'create',
      themes: 'create',
      impersonationClient: 'none',
    });
    expect(writes).toEqual([
      'POST /api/v1/web-integrations',
      'POST /api/v1/csp-origins',
      'POST /api/v1/csp-origins',
      'POST /api/v1/brands',
      `POST /api/v1/brands/${result.outputs.brand.brandId}/actions/activate`,
      'POST /api/v1/extensions',
      'POST /api/v1/themes',
    ]);
    const { webIntegrationId } = result.outputs.webIntegration;
    const wi = unwrap(
      await qc.webIntegrations.GET('/api/v1/web-integrations/{id}', { params: { path: { id: webIntegrationId! } } }),
    );
    expect(wi.validOrigins).toEqual(['https://app.partner.example']);

    const brands = await collectAll(paginate(qc.brands, '/api/v1/brands'), { limit: 100 });
    const brand = brands.find((b) => b.name === 'Partner brand');
    expect(brand?.active).toBe(true);
    expect(brand?.files.map((f) => f.id).sort()).toEqual(['favIcon', 'logo', 'styles']);
    expect(result.outputs.brand.brandId).toBe(brand?.id);

    const csp = await collectAll(paginate(qc.cspOrigins, '/api/v1/csp-origins'), { limit: 100 });
    const product = csp.find((c) => c.name === 'Partner product');
    expect(product).toMatchObject({
      origin: 'https://app.partner.example',
      frameAncestors: true,
      frameSrc: true,
      scriptSrc: false,
    });
    expect(Object.keys(result.outputs.cspOrigins.cspOriginIds).sort()).toEqual(['Partner CDN', 'Partner product']);

    const extensions = unwrap(await qc.extensions.GET('/api/v1/extensions')).data;
    expect(extensions.map((e) => e.name)).toEqual(['partner-chart']);
    expect(result.outputs.extensions.extensionIds['partner-chart']).toBe(extensions[0]?.id);
  });

  it('writes nothing on a second run', async () => {
    const { webIntegrationId } = (await run(input())).result.outputs.webIntegration;
    const { result, writes } = await run(input());
    expect(writes).toEqual([]);
    expect(result.status).toBe('unchanged');
    expect(new Set(Object.values(actions(result)))).toEqual(new Set(['none']));
    expect(result.outputs.webIntegration.webIntegrationId).toBe(webIntegrationId);
  });

  it('re-uploads a changed extension once, in place', async () => {
    await run(input());
    const changed = input({ extensions: chartV2() });
    const plan = await planCustomizeTenant(qc, changed);
    expect(plan.steps.filter((s) => s.action !== 'none').map((s) => s.step)).toEqual(['extensions']);
    const before = unwrap(await qc.extensions.GET('/api/v1/extensions')).data[0]!.id;
    const first = await run(changed);
    expect(first.writes).toEqual([`PATCH /api/v1/extensions/${before}`]);
    const served = await qc.transport(new Request(`${qc.baseUrl}/api/v1/extensions/${before}/file`));
    expect(new Uint8Array(await served.arrayBuffer())).toEqual(zip('partner-chart', 'chart v2'));
    const second = await run(changed);
    expect(second.writes).toEqual([]);
  });

  it('updates only what differs: the web integration origins (same id), one CSP entry, one brand file', async () => {
    const { webIntegrationId } = (await run(input({ extensions: chartV2() }))).result.outputs.webIntegration;
    const changed = input(revised());
    const { result, writes } = await run(changed);
    expect(result.outputs.webIntegration.webIntegrationId).toBe(webIntegrationId);
    expect(writes).toEqual([
      `PATCH /api/v1/web-integrations/${webIntegrationId}`,
      `PUT /api/v1/csp-origins/${result.outputs.cspOrigins.cspOriginIds['Partner product']}`,
      `PUT /api/v1/brands/${result.outputs.brand.brandId}/files/logo`,
    ]);
    expect((await run(changed)).writes).toEqual([]);
  });

  it('tags an archive uploaded by hand with the same bytes instead of uploading it again; a new description is patched', async () => {
    await run(input(revised()));
    const bytes = zip('hand-theme', 'theme uploaded by hand');
    const form = new FormData();
    form.append('data', JSON.stringify({ name: 'hand-theme' }));
    form.append('file', new Blob([bytes], { type: 'application/zip' }), 'hand-theme.zip');
    const created = await qc.transport(new Request(`${qc.baseUrl}/api/v1/themes`, { method: 'POST', body: form }));
    expect(created.status).toBe(201);
    const themeId = ((await created.json()) as { id: string }).id;
    const base = revised();
    const wanted = input({
      ...base,
      brand: partnerBrand({ logo: join(dir, 'logo-v2.png'), description: 'Partner look, 2027' }),
      themes: [
        { name: 'partner-theme', file: { name: 'partner-theme.zip', bytes: zip('partner-theme', 'theme v1') } },
        { name: 'hand-theme', file: { name: 'hand-theme.zip', bytes } },
      ],
    });
    const { result, writes, uploads } = await run(wanted);
    expect(writes).toEqual([`PATCH /api/v1/brands/${result.outputs.brand.brandId}`, `PATCH /api/v1/themes/${themeId}`]);
    expect(uploads).toEqual([]);
    expect(result.outputs.themes.themeIds['hand-theme']).toBe(themeId);
    expect((await run(wanted)).writes).toEqual([]);
  });

  it('composes into another recipe whose earlier step gives the tenant host', async () => {
    await run(input(revised()));
    const steps = customizeTenantSteps<
      { customerId: string; customization: TenantCustomization },
      { tenant: { host: string } }
    >({
      access: qc,
      target: (ctx) => ({ tenantHost: ctx.outputs.tenant.host, customization: ctx.input.customization }),
    });
    const recipe = (tenantExists: boolean) =>
      defineRecipe({
        name: 'onboardAndCustomize',
        input: z.object({ customerId: z.string(), customization: tenantCustomizationSchema }),
        customerId: (i) => i.customerId,
      })
        .step({
          name: 'tenant',
          inspect: async () =>
            tenantExists
              ? { action: 'none' as const, reason: 'exists', outputs: { host: HOST } }
              : { action: 'create' as const, reason: 'missing', marker: 'acme' },
          apply: async () => ({ host: HOST }),
        })
        .step(steps.webIntegration)
        .step(steps.cspOrigins)
        .step(steps.brand)
        .step(steps.extensions)
        .step(steps.themes);
    const { customerId: _c, tenantHost: _t, ...customization } = input({ extensions: chartV2() });
    const planned = await planRecipe(recipe(false), { customerId: 'acme', customization });
    expect(planned.steps.map((s) => s.action)).toEqual([
      'create',
      'depends',
      'depends',
      'depends',
      'depends',
      'depends',
    ]);
    const plannedExisting = await planRecipe(recipe(true), { customerId: 'acme', customization });
    expect(plannedExisting.steps.find((s) => s.step === 'extensions')?.action).toBe('none');
    expect(plannedExisting.steps.find((s) => s.step === 'webIntegration')?.action).toBe('update');
  });

  it('rejects bad input before any request, without echoing file bytes', async () => {
    const cases: Array<[Partial<CustomizeTenantInputRaw>, string]> = [
      [
        { webIntegration: { name: 'x', validOrigins: ['http://app.partner.example'] } },
        'webIntegration.validOrigins[0]',
      ],
      [
        { webIntegration: { name: 'x', validOrigins: ['https://app.partner.example/path'] } },
        'webIntegration.validOrigins[0]',
      ],
      [{ webIntegration: { name: ' ', validOrigins: ['https://a.example'] } }, 'webIntegration.name'],
      [{ extensions: [{ name: 'a', file: join(dir, 'missing.zip') }] }, 'extensions[0].file'],
      [{ extensions: [{ name: 'a', file: join(dir, 'empty.zip') }] }, 'extensions[0].file'],
      [{ themes: [{ name: 'a', file: { name: 'a.zip', bytes: PNG } }] }, 'themes[0].file'],
      [
        {
          themes: [
            { name: 'a', file: { name: 'a.zip', bytes: zip('a', '1') } },
            { name: 'a', file: { name: 'b.zip', bytes: zip('a', '2') } },
          ],
        },
        'themes[1].name',
      ],
      [{ brand: { name: 'b', logo: join(dir, 'styles.json') } }, 'brand.logo'],
      [
        { cspOrigins: [{ name: 'c', origin: 'https://a.example/path', directives: ['imgSrc'] }] },
        'cspOrigins[0].origin',
      ],
      [{ cspOrigins: [{ name: 'c', origin: 'a.example', directives: [] }] }, 'cspOrigins[0].directives'],
      [{ tenantHost: 'https://source.eu.qlikcloud.com' }, 'tenantHost'],
    ];
    writes.length = 0;
    for (const [overrides, path] of cases) {
      const error = await customizeTenant(qc, input(overrides), { journal: createMemoryJournalStore() }).catch(
        (e: unknown) => e,
      );
      expect(isQlikValidationError(error), path).toBe(true);
      expect((error as Error).message, path).toContain(`${path}:`);
      expect(inspect(error)).not.toContain('chart v1');
    }
    expect(writes).toEqual([]);
  });

  it('a facade for another host is refused', async () => {
    const error = await customizeTenant(qc, input({ tenantHost: 'other.eu.qlikcloud.com' }), {
      journal: createMemoryJournalStore(),
    }).catch((e: unknown) => e);
    expect(String((error as Error).message)).toMatch(/facade is for source\.eu\.qlikcloud\.com/);
  });
});
