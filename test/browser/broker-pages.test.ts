// The broker's operator and product pages in headless Chromium: an operator provisions two customers and
// watches them become provisioned; then end users sign in and each sees their own identity, dashboard and numbers.
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { createMemoryJournalStore } from '@qlik-oem/recipes';
import type { Browser, Page } from 'playwright-core';
import { ARTIFACTS_DIR, launchChromium } from './chromium.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readMasterData } from '../../examples/broker/src/master-data.js';
import { buildBroker } from '../../examples/broker/src/server.js';
import { startSimulatedQlik, type SimulatedQlik } from '../../examples/broker/src/simulated.js';

let browser: Browser;
let world: SimulatedQlik;
let app: ReturnType<typeof buildBroker>;
let url: string;

beforeAll(async () => {
  // The default time scale (60): at 600 a reload that takes 3 s of real work on a loaded machine is past the
  // SDK's 30-minute reload deadline on the simulated clock.
  world = await startSimulatedQlik({ latency: false });
  app = buildBroker({
    ...world,
    journal: createMemoryJournalStore(),
    jwtLifetimeSeconds: 3600,
    masterData: readMasterData(),
  });
  url = await app.listen({ host: '127.0.0.1', port: 0 });
  browser = await launchChromium();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await app?.close();
  await world?.close();
});

function watch(page: Page): string[] {
  const problems: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(m.text());
  });
  page.on('pageerror', (e) => problems.push(e.message));
  return problems;
}

describe("the broker's pages", () => {
  it('provisions the selected customers with live progress, then two end users see their own analytics', async () => {
    const page = await browser.newPage({ viewport: { width: 1100, height: 800 } });
    const problems = watch(page);
    await page.goto(url);
    const row = (id: string) => page.locator(`tr[data-customer="${id}"]`);
    await expect.poll(() => row('acme').locator('.state').textContent()).toBe('not provisioned');

    await row('acme').locator('input').check();
    await row('globex').locator('input').check();
    const steps = new Set<string>();
    const progress = setInterval(() => {
      void row('acme')
        .locator('.step')
        .textContent()
        .then((t) => t && steps.add(t))
        .catch(() => undefined);
    }, 20);
    await page.locator('#provision').click();
    await expect.poll(() => row('acme').locator('.state').textContent(), { timeout: 60_000 }).toBe('provisioned');
    await expect.poll(() => row('globex').locator('.state').textContent(), { timeout: 60_000 }).toBe('provisioned');
    clearInterval(progress);
    // The row showed steps while they ran, and the tenant host once done; initech was not selected.
    expect([...steps].some((s) => s.endsWith('...'))).toBe(true);
    expect(await row('acme').locator('.host').textContent()).toBe('acme-analytics.eu.qlikcloud.com');
    expect(await row('initech').locator('.state').textContent()).toBe('not provisioned');
    await mkdir(ARTIFACTS_DIR, { recursive: true });
    await page.screenshot({ path: join(ARTIFACTS_DIR, 'broker-operator.png') });

    // A reload of the page reads the state from the journal.
    await page.reload();
    await expect.poll(() => row('globex').locator('.state').textContent()).toBe('provisioned');

    await page.goto(`${url}/app`);
    const signIn = async (userId: string) => {
      await page.locator('#user').selectOption(userId);
      await page.locator('#sign-in').click();
      await expect.poll(() => page.locator('#analytics').getAttribute('data-user')).toBe(userId);
      const state = await page.locator('#analytics').getAttribute('data-state');
      // After a sign-in, the numbers the engine computed as the user (section access applied).
      if (state === 'signed-in')
        await expect.poll(() => page.locator('#analytics').getAttribute('data-summary')).toBe('ready');
      return {
        regions: await page.locator('#summary tbody tr').evaluateAll((rows) => rows.map((r) => r.dataset.region)),
        total: await page.locator('[data-field="total"]').textContent(),
        auth: await page.locator('#analytics').getAttribute('data-auth'),
        state: await page.locator('#analytics').getAttribute('data-state'),
        welcome: await page.locator('[data-field="welcome"]').textContent(),
        detail: await page.locator('[data-field="detail"]').textContent(),
        app: await page.locator('[data-field="app"]').textContent(),
      };
    };
    // By default the page gets an OAuth impersonation token from the broker; Qlik then knows the user by it.
    const john = await signIn('acme-analytics-north');
    expect(john).toMatchObject({
      auth: 'oauth-impersonation',
      state: 'signed-in',
      welcome: 'Welcome, John Smith',
      app: 'Sales Analytics',
      regions: ['NORTH'],
    });
    expect(john.detail).toContain('acme-analytics-north in acme-analytics.eu.qlikcloud.com');
    expect(john.total).toMatch(/^\d+ orders, \$[\d,]+\.\d\d$/);
    // The legacy JWT path still works; Linda, of the same customer, sees the other region's numbers.
    await page.locator('#legacy-jwt').check();
    const linda = await signIn('acme-analytics-south');
    expect(linda).toMatchObject({
      auth: 'jwt',
      state: 'signed-in',
      welcome: 'Welcome, Linda Jones',
      regions: ['SOUTH'],
    });
    expect(linda.detail).toContain('Analytics Contributors');
    expect(linda.total).toMatch(/^\d+ orders, \$/);
    expect(linda.total).not.toBe(john.total);
    await page.locator('#legacy-jwt').uncheck();
    const hank = await signIn('globex-analytics-north');
    expect(hank).toMatchObject({
      auth: 'oauth-impersonation',
      state: 'signed-in',
      app: 'Sales Analytics',
      regions: ['NORTH'],
    });
    expect(hank.detail).toContain('globex-analytics.eu.qlikcloud.com');
    // Globex's own database: other orders than Acme's.
    expect(hank.total).toMatch(/^\d+ orders, \$/);
    expect(hank.total).not.toBe(john.total);
    // A customer that was never provisioned: the broker says so, the page shows it.
    const peter = await signIn('initech-analytics-north');
    expect(peter).toMatchObject({ state: 'error', app: '', regions: [], total: '' });
    expect(peter.detail).toContain('has no tenant');
    await page.screenshot({ path: join(ARTIFACTS_DIR, 'broker-product.png') });
    // The only failed request is Peter's sign-in (409: not provisioned), which the page shows.
    expect(problems).toEqual(['Failed to load resource: the server responded with a status of 409 (Conflict)']);
    await page.close();
  }, 120_000);
});
