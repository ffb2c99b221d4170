// OpenTelemetry: one customer's provisioning as a span tree (fleet → customer → recipe → step → HTTP attempt),
// with the attributes an operations team filters on and no secret anywhere.
import { context, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMemoryJournalStore, provisionFleet } from '../src/index.js';
import { sampleCustomers, samplePartner, startOnboardHarness } from './e2e/onboard-harness.js';

const exporter = new InMemorySpanExporter();
const contextManager = new AsyncLocalStorageContextManager();

beforeAll(() => {
  context.setGlobalContextManager(contextManager.enable());
  trace.setGlobalTracerProvider(new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] }));
});
afterAll(() => {
  trace.disable();
  context.disable();
});

describe('tracing', () => {
  it("nests one customer's onboarding under fleet, customer, recipe and step spans, and no attribute holds a secret", async () => {
    const h = await startOnboardHarness({ timeScale: 200 });
    // The impersonation client's secret, which Qlik answers in a response body, must not reach a span either.
    let clientSecret: string | undefined;
    try {
      const [customer] = sampleCustomers(1);
      const result = await provisionFleet(
        h.env,
        {
          partner: samplePartner(),
          customers: [customer!],
          customize: { impersonationClient: { name: 'Partner product backend' } },
        },
        { journal: createMemoryJournalStore() },
      );
      expect(result.counts.provisioned).toBe(1);
      clientSecret = result.customers[0]!.impersonationClientSecret!.reveal();
    } finally {
      await h.close();
    }
    const spans = exporter.getFinishedSpans();
    const byId = new Map(spans.map((s) => [s.spanContext().spanId, s]));
    const parentOf = (s: (typeof spans)[number]) => byId.get(s.parentSpanContext?.spanId ?? '');
    const one = (name: string) => {
      const found = spans.filter((s) => s.name === name);
      expect(found, name).toHaveLength(1);
      return found[0]!;
    };
    const fleet = one('qlik-oem.fleet');
    const customerSpan = one('qlik-oem.customer');
    const recipe = one('qlik-oem.recipe');
    expect(parentOf(fleet)).toBeUndefined();
    expect(parentOf(customerSpan)).toBe(fleet);
    expect(parentOf(recipe)).toBe(customerSpan);
    expect(customerSpan.attributes['qlik_oem.customer.status']).toBe('provisioned');

    const steps = spans.filter((s) => s.name === 'qlik-oem.step');
    expect(steps.map((s) => s.attributes['qlik_oem.step']).sort()).toEqual(
      [...new Set(steps.map((s) => String(s.attributes['qlik_oem.step'])))].sort(),
    );
    for (const step of steps) expect(parentOf(step)).toBe(recipe);
    const tenantStep = steps.find((s) => s.attributes['qlik_oem.step'] === 'tenant')!;
    expect(tenantStep.attributes['qlik_oem.step.action']).toBe('create');

    // The tenant create is an HTTP client span under the tenant step, with its status.
    const http = spans.filter((s) => s.name.startsWith('HTTP '));
    const create = http.find(
      (s) =>
        s.name === 'HTTP POST' && String(s.attributes['url.full']).endsWith('register.eu.qlikcloud.com/api/v1/tenants'),
    );
    expect(create).toBeDefined();
    expect(parentOf(create!)).toBe(tenantStep);
    expect(create!.attributes['http.response.status_code']).toBe(201);
    // Every request, the OAuth token requests included, belongs to the step that needed it, or to the
    // fleet's check before its first write (a root span of its own, before the fleet's).
    expect(parentOf(one('qlik-oem.preflight'))).toBeUndefined();
    expect(new Set(http.map((s) => parentOf(s)?.name))).toEqual(new Set(['qlik-oem.step', 'qlik-oem.preflight']));

    // No secret in any attribute or status: the client secret, bearer tokens, keys.
    const dump = JSON.stringify(spans.map((s) => [s.name, s.attributes, s.status, s.events]));
    expect(dump).not.toContain('sim-eu-regional-secret');
    expect(clientSecret).toMatch(/\S{16}/);
    expect(dump).not.toContain(clientSecret);
    expect(dump).not.toMatch(/Bearer |access_token|PRIVATE KEY|eyJ[A-Za-z0-9_-]{10,}/);
  }, 60_000);
});
