import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  BEYOND_SPEC,
  BEYOND_SPEC_BEHAVIOURS,
  BEHAVIOUR_SWITCHES,
  bundledSpecsDir,
  startSimulator,
  type Simulator,
} from '../src/index.js';
import { SpecCatalog } from '../src/advanced.js';

let sim: Simulator;
beforeAll(async () => {
  sim = await startSimulator({ latency: false });
  return () => sim.close();
});

const catalog = new SpecCatalog(bundledSpecsDir());
const glob = (pattern: string): RegExp =>
  new RegExp(
    `^${pattern
      .split('*')
      .map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
      .join('.*')}$`,
  );

describe('the registry of behaviour beyond the specs', () => {
  it('names a source (a Qlik page or example) or says "unverified" for every entry, under unique ids', () => {
    expect(new Set(BEYOND_SPEC.map((e) => e.id)).size).toBe(BEYOND_SPEC.length);
    for (const e of BEYOND_SPEC) {
      expect(e.source, e.id).toMatch(
        /^(unverified|https:\/\/(qlik\.dev|help\.qlik\.com|community\.qlik\.com|github\.com|datatracker\.ietf\.org)\/)/,
      );
      expect(e.what.length, e.id).toBeGreaterThan(10);
    }
  });

  it('names a source or says "unverified" for every behaviour that is not an answer, under ids of their own', () => {
    const ids = [...BEYOND_SPEC, ...BEYOND_SPEC_BEHAVIOURS].map((e) => e.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const b of BEYOND_SPEC_BEHAVIOURS) {
      expect(b.source, b.id).toMatch(
        /^(unverified|https:\/\/(qlik\.dev|help\.qlik\.com|community\.qlik\.com|github\.com|datatracker\.ietf\.org)\/)/,
      );
      expect(b.what.length, b.id).toBeGreaterThan(10);
    }
  });

  it('knows every registry id the code names (`registry: <id>`)', () => {
    const ids = new Set([...BEYOND_SPEC, ...BEYOND_SPEC_BEHAVIOURS].map((e) => e.id));
    const src = join(import.meta.dirname, '..', 'src');
    const named = new Set<string>();
    for (const file of readdirSync(src, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts'))) {
      if (file.endsWith('beyond-spec.ts')) continue;
      const text = readFileSync(join(src, file), 'utf8').replace(/\n\s*(\*|\/\/)\s*/g, ' ');
      for (const m of text.matchAll(/[Rr]egistry(?: entries|:)\s*([a-z0-9-]+(?:,\s*[a-z0-9-]+)*)/g))
        for (const id of (m[1] ?? '').split(/,\s*/)) named.add(id);
    }
    expect(named.size).toBeGreaterThan(20);
    expect([...named].filter((id) => !ids.has(id))).toEqual([]);
  });

  it('covers Qlik Cloud operations the simulator serves, with statuses their specs do not declare', () => {
    const routes = sim.routes();
    for (const e of BEYOND_SPEC.filter((x) => x.service === 'qlik-cloud')) {
      const served = routes.filter(
        (r) => (e.method === '*' || r.method === e.method) && (e.path === '*' || glob(e.path).test(r.path)),
      );
      expect(served.length, `${e.id} matches no route`).toBeGreaterThan(0);
      const undeclared = served.filter((r) => {
        const responses = catalog.operation(r.api, r.method, r.path)?.operation.responses as Record<string, unknown>;
        const declared = responses[String(e.status)] as { content?: unknown; $ref?: unknown } | undefined;
        // An entry for a declared status is for one the spec declares without a body.
        if (e.declaredWithoutBody) return declared !== undefined && declared.$ref === undefined && !declared.content;
        return !(String(e.status) in responses) && !('default' in responses);
      });
      // A response entry exists only for a status some matching operation leaves out.
      if (!e.request)
        expect(undeclared.length, `${e.id}: every matching operation declares ${e.status}`).toBeGreaterThan(0);
    }
  });
});

describe('the switches for behaviour nobody outside Qlik knows', () => {
  it('lists every mode of sim.state.behaviour with its options (the default among them) and a source or "unverified"', () => {
    const modes = Object.entries(sim.state.behaviour)
      .filter(([key, value]) => typeof value === 'string' || (typeof value === 'number' && key.endsWith('Answer')))
      .map(([key]) => key)
      .sort();
    expect(BEHAVIOUR_SWITCHES.map((s) => s.key).sort()).toEqual(modes);
    for (const s of BEHAVIOUR_SWITCHES) {
      expect(s.options.length, s.key).toBeGreaterThan(1);
      expect(s.options, s.key).toContain(sim.state.behaviour[s.key]);
      expect(s.options, s.key).toContain(s.default);
      expect(s.source, s.key).toMatch(/^(unverified|https:\/\/qlik\.dev\/)/);
    }
  });
});
