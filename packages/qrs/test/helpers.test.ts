import { isQlikConflictError, isQlikNotFoundError } from '@qlik-oem/core';
import { describe, expect, it } from 'vitest';
import {
  copyApp,
  createQrsClient,
  ensureCustomPropertyDefinition,
  ensureStream,
  ensureSystemRule,
  exportApp,
  getApp,
  publishApp,
  replaceApp,
  setAppCustomProperty,
  uploadApp,
  QRS_RULE_ACTIONS,
} from '../src/index.js';
import { SIM_HOST, qvf, startQseowSim } from './support/qseow-sim.js';

async function setup() {
  const site = await startQseowSim();
  const qrs = createQrsClient({
    host: SIM_HOST,
    auth: { type: 'certificate', cert: 'CERT', key: 'KEY' },
    fetch: site.fetch,
    pacing: false,
    retry: false,
  });
  return { site, qrs };
}

describe('QRS helpers against the simulated repository (strict spec validation)', () => {
  it('uploads, copies, publishes, replaces and exports apps', async () => {
    const { qrs } = await setup();
    const template = await uploadApp(qrs, { name: 'Template', file: qvf('LOAD 1;') });
    expect(template).toMatchObject({ name: 'Template', published: false });
    const copy = await copyApp(qrs, template.id!, { name: 'Customer A' });
    expect(copy.name).toBe('Customer A');
    const { stream, created } = await ensureStream(qrs, "Customer's stream");
    expect(created).toBe(true);
    expect((await ensureStream(qrs, "Customer's stream")).stream.id).toBe(stream.id);
    const published = await publishApp(qrs, copy.id!, stream.id!);
    expect(published).toMatchObject({ published: true, stream: { id: stream.id } });
    const v2 = await uploadApp(qrs, { name: 'Template v2', file: qvf('LOAD 2;') });
    await replaceApp(qrs, v2.id!, copy.id!);
    const exported = await exportApp(qrs, copy.id!);
    expect(exported.fileName).toBe('Customer A.qvf');
    expect(Buffer.from(exported.bytes).toString('utf8')).toContain('LOAD 2;');
    const missing = await getApp(qrs, '00000000-0000-0000-0000-0000000000ff').catch((e: unknown) => e);
    expect(isQlikNotFoundError(missing)).toBe(true);
  });

  it('ensures a custom property definition idempotently and adds choice values', async () => {
    const { qrs, site } = await setup();
    const first = await ensureCustomPropertyDefinition(qrs, { name: 'deployments', choiceValues: ['eu-1'] });
    const again = await ensureCustomPropertyDefinition(qrs, { name: 'deployments', choiceValues: ['eu-1'] });
    expect(again.id).toBe(first.id);
    expect(again.modifiedDate).toBe(first.modifiedDate); // nothing to change, no PUT
    const more = await ensureCustomPropertyDefinition(qrs, { name: 'deployments', choiceValues: ['eu-2'] });
    expect(more.choiceValues).toEqual(['eu-1', 'eu-2']);
    expect(site.log.filter((r) => r.method === 'PUT')).toHaveLength(1);
  });

  it('resolves a 409 on the app by re-reading and re-applying the change', async () => {
    const { qrs, site } = await setup();
    await ensureCustomPropertyDefinition(qrs, { name: 'deployments', choiceValues: ['eu-1', 'eu-2'] });
    const app = await uploadApp(qrs, { name: 'Sales', file: qvf('LOAD 1;') });
    // Another writer renames the app between our GET and our PUT, once.
    let interfered = false;
    site.before.push(async (req) => {
      if (req.method === 'PUT' && !interfered) {
        interfered = true;
        const stored = site.host.state.apps.get(app.id!)!;
        stored.name = 'Sales (renamed by someone else)';
        stored.modifiedDate = new Date(Date.parse(stored.modifiedDate) + 60_000).toISOString();
      }
    });
    const updated = await setAppCustomProperty(qrs, app.id!, { name: 'deployments', values: ['eu-1'] });
    expect(interfered).toBe(true);
    expect(updated.name).toBe('Sales (renamed by someone else)');
    expect(updated.customProperties?.map((c) => c.value)).toEqual(['eu-1']);
    expect(site.log.filter((r) => r.method === 'PUT')).toHaveLength(2);
    // Adding keeps the existing value; setting the same values again writes nothing.
    const added = await setAppCustomProperty(qrs, app.id!, { name: 'deployments', values: ['eu-2'], mode: 'add' });
    expect(added.customProperties?.map((c) => c.value).sort()).toEqual(['eu-1', 'eu-2']);
    const puts = site.log.filter((r) => r.method === 'PUT').length;
    await setAppCustomProperty(qrs, app.id!, { name: 'deployments', values: ['eu-2', 'eu-1'] });
    expect(site.log.filter((r) => r.method === 'PUT')).toHaveLength(puts);
  });

  it('gives up with the conflict error after the configured attempts', async () => {
    const { qrs, site } = await setup();
    await ensureCustomPropertyDefinition(qrs, { name: 'deployments', choiceValues: ['eu-1'] });
    const app = await uploadApp(qrs, { name: 'Sales', file: qvf('LOAD 1;') });
    site.before.push((req) => {
      if (req.method === 'PUT') {
        const stored = site.host.state.apps.get(app.id!)!;
        stored.modifiedDate = new Date(Date.parse(stored.modifiedDate) + 60_000).toISOString();
      }
    });
    const error = await setAppCustomProperty(
      qrs,
      app.id!,
      { name: 'deployments', values: ['eu-1'] },
      { maxAttempts: 3 },
    ).catch((e: unknown) => e);
    expect(isQlikConflictError(error)).toBe(true);
    expect(site.log.filter((r) => r.method === 'PUT')).toHaveLength(3);
  });

  it('updates of one app from one process take turns: sixteen writers at once, no conflict, every value kept', async () => {
    const { qrs, site } = await setup();
    const values = Array.from({ length: 16 }, (_, i) => `eu-${i}`);
    await ensureCustomPropertyDefinition(qrs, { name: 'deployments', choiceValues: values });
    const app = await uploadApp(qrs, { name: 'Sales', file: qvf('LOAD 1;') });
    // One attempt each: a collision between them would surface as a 409 instead of being retried away.
    await Promise.all(
      values.map((v) =>
        setAppCustomProperty(qrs, app.id!, { name: 'deployments', values: [v], mode: 'add' }, { maxAttempts: 1 }),
      ),
    );
    const stored = await getApp(qrs, app.id!);
    expect(stored.customProperties?.map((c) => c.value).sort()).toEqual([...values].sort());
    expect(site.log.filter((r) => r.method === 'PUT' && String(r.url).includes(app.id!))).toHaveLength(16);
  });

  it('ensures a system rule by name, updating only what differs', async () => {
    const { qrs } = await setup();
    const input = {
      name: 'Distribute to deployments',
      category: 'Security',
      type: 'Custom',
      resourceFilter: 'App_*',
      rule: '((resource.@deployments=subject.name))',
      actions: QRS_RULE_ACTIONS.distribute,
    };
    const created = await ensureSystemRule(qrs, input);
    expect(created.changed).toBe(true);
    const same = await ensureSystemRule(qrs, input);
    expect(same).toMatchObject({ changed: false, rule: { id: created.rule.id } });
    const edited = await ensureSystemRule(qrs, { ...input, disabled: true });
    expect(edited).toMatchObject({ changed: true, rule: { id: created.rule.id, disabled: true } });
  });
});
