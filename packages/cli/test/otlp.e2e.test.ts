// `--otlp`: an apply exports its span tree to an OTLP/HTTP receiver (here a loopback server of the test).
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { startCliWorldForTest } from './harness.js';

interface OtlpSpan {
  name: string;
  spanId: string;
  parentSpanId?: string;
  attributes: Array<{ key: string; value: Record<string, unknown> }>;
}

describe('qlik-oem --otlp', () => {
  it("exports fleet, customer, recipe, step and HTTP spans of an apply, with the customer's id and no secret", async () => {
    const bodies: string[] = [];
    const contentTypes: string[] = [];
    const receiver = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk) => (body += chunk));
      req.on('end', () => {
        bodies.push(body);
        contentTypes.push(String(req.headers['content-type']));
        res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    try {
      const world = await startCliWorldForTest();
      const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/v1/traces`;
      const apply = await world.run(['apply', '--only', 'c001', '--otlp', url], { OTEL_SERVICE_NAME: 'partner-ops' });
      expect(apply.code, apply.stderr).toBe(0);
    } finally {
      await new Promise((resolve) => receiver.close(resolve));
    }
    expect(contentTypes.every((t) => t.startsWith('application/json'))).toBe(true);
    const exports = bodies.map((b) => JSON.parse(b) as { resourceSpans: Array<Record<string, unknown>> });
    const resourceSpans = exports.flatMap((e) => e.resourceSpans) as Array<{
      resource: { attributes: OtlpSpan['attributes'] };
      scopeSpans: Array<{ spans: OtlpSpan[] }>;
    }>;
    expect(resourceSpans[0]!.resource.attributes).toContainEqual({
      key: 'service.name',
      value: { stringValue: 'partner-ops' },
    });
    const spans = resourceSpans.flatMap((r) => r.scopeSpans.flatMap((s) => s.spans));
    const byId = new Map(spans.map((s) => [s.spanId, s]));
    const root = spans.find((s) => s.name === 'qlik-oem apply')!;
    expect(root.parentSpanId ?? '').toBe('');
    const fleet = spans.filter((s) => s.name === 'qlik-oem.fleet');
    expect(fleet.map((s) => byId.get(s.parentSpanId ?? '')?.name)).toEqual(['qlik-oem apply']);
    const customer = spans.find((s) => s.name === 'qlik-oem.customer')!;
    expect(customer.attributes).toContainEqual({ key: 'qlik_oem.customer.id', value: { stringValue: 'c001' } });
    expect(byId.get(customer.parentSpanId ?? '')?.name).toBe('qlik-oem.fleet');
    const steps = spans.filter((s) => s.name === 'qlik-oem.step');
    expect(steps.length).toBeGreaterThan(10);
    const http = spans.filter((s) => s.name.startsWith('HTTP '));
    expect(http.length).toBeGreaterThan(steps.length);
    // Each request belongs to the step that sent it, to the fleet's check before its first write, or to the
    // command's own lookups (the template by name).
    const preflight = spans.find((s) => s.name === 'qlik-oem.preflight')!;
    expect(byId.get(preflight.parentSpanId ?? '')?.name).toBe('qlik-oem apply');
    expect(new Set(http.map((s) => byId.get(s.parentSpanId ?? '')?.name))).toEqual(
      new Set(['qlik-oem.step', 'qlik-oem.preflight', 'qlik-oem apply']),
    );
    const dump = bodies.join('\n');
    expect(dump).not.toContain('sim-eu-regional-secret');
    expect(dump).not.toContain('db-secret-value-42');
    expect(dump).not.toMatch(/Bearer |access_token|PRIVATE KEY/);
  }, 120_000);
});
