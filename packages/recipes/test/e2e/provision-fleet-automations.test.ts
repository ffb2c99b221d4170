import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { unwrap } from '@qlik-oem/qlik-cloud';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMemoryJournalStore, provisionFleet, readAutomationFile } from '../../src/index.js';
import { fleetHydrate, prepareTemplate } from './fleet-fixtures.js';
import { sampleCustomers, samplePartner, startOnboardHarness, type OnboardHarness } from './onboard-harness.js';

describe('provisionFleet deploys automations with the schedule on an impersonation-ready tenant (strict simulator)', () => {
  let h: OnboardHarness;
  let dir: string;
  beforeAll(async () => {
    h = await startOnboardHarness({ timeScale: 200, latency: false });
    dir = mkdtempSync(join(tmpdir(), 'automations-'));
  });
  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true });
    expect(h.sim.violations).toEqual([]);
    await h.close();
  });

  it('copies one automation from the source tenant and one from a JSON file, runs one once; a second run writes nothing; a changed definition is updated in place', async () => {
    const templateAppId = await prepareTemplate(h.env);
    // The partner's automation on the source tenant.
    unwrap(
      await h.env.source().automations.POST('/api/v1/automations', {
        body: { name: 'Notify partner', description: 'tells the partner', workspace: { blocks: [{ id: 'a' }] } },
      }),
    );
    const file = join(dir, 'refresh.json');
    const writeDefinition = (blocks: unknown[]) =>
      writeFileSync(file, JSON.stringify({ name: 'Refresh cache', description: 'from git', workspace: { blocks } }));
    writeDefinition([{ id: 'start' }]);

    const customers = sampleCustomers(2);
    const input = async () => ({
      partner: samplePartner(),
      customers,
      hydrate: {
        ...fleetHydrate(templateAppId),
        reloadSchedule: { recurrence: ['RRULE:FREQ=DAILY;BYHOUR=5;BYMINUTE=0'], timeZone: 'Europe/Zurich' },
      },
      automations: [{ name: 'Notify partner', enabled: false }, await readAutomationFile(file, { runOnce: true })],
      customize: { impersonationClient: { name: 'Partner product backend' } },
    });
    const journal = createMemoryJournalStore();
    const stored: string[] = [];
    const first = await provisionFleet(h.env, await input(), {
      journal,
      storeImpersonationClientSecret: async (secret) => {
        stored.push(`${secret.customerId} ${secret.clientId}`);
      },
    });
    expect(
      first.customers.map((c) => [c.customerId, c.status, c.error instanceof Error ? c.error.message : '']),
    ).toEqual(customers.map((c) => [c.customerId, 'provisioned', '']));
    for (const result of first.customers) {
      const qc = h.env.tenant(result.tenantHost!);
      const list = unwrap(await qc.automations.GET('/api/v1/automations')).data!;
      expect(list.map((a) => [a.name, a.state]).sort()).toEqual([
        ['Notify partner', 'disabled'],
        ['Refresh cache', 'available'],
      ]);
      const notify = unwrap(
        await qc.automations.GET('/api/v1/automations/{id}', {
          params: { path: { id: list.find((a) => a.name === 'Notify partner')!.id! } },
        }),
      );
      expect(notify).toMatchObject({ description: 'tells the partner', workspace: { blocks: [{ id: 'a' }] } });
      const refresh = list.find((a) => a.name === 'Refresh cache')!;
      expect(refresh.lastRunStatus).toBe('finished');
      const tasks = unwrap(
        await qc.schedulingTasks.GET('/api/scheduling/tasks', { params: { query: { resourceId: result.appId! } } }),
      ).data!;
      expect(tasks).toHaveLength(1);
      // Impersonation-ready: the tenant's OAuth client, whose secret was stored when the step made it.
      const clients = unwrap(await qc.oauthClients.GET('/api/v1/oauth-clients')).data;
      expect(clients.filter((c) => c.clientName === 'Partner product backend').map((c) => c.clientId)).toEqual([
        result.impersonationClientId,
      ]);
      expect(stored).toContain(`${result.customerId} ${result.impersonationClientId}`);
    }
    expect(stored).toHaveLength(2);

    const before = h.writes().length;
    const second = await provisionFleet(h.env, await input(), { journal });
    expect(second.counts.unchanged).toBe(2);
    expect(h.writes().slice(before)).toEqual([]);

    writeDefinition([{ id: 'start' }, { id: 'new-step' }]);
    const idsBefore = await Promise.all(
      first.customers.map(async (c) =>
        unwrap(await h.env.tenant(c.tenantHost!).automations.GET('/api/v1/automations'))
          .data!.map((a) => a.id)
          .sort(),
      ),
    );
    const writesBefore = h.writes().length;
    const third = await provisionFleet(h.env, await input(), { journal });
    for (const result of third.customers) {
      expect(result.steps.filter((s) => s.action !== 'none').map((s) => s.step)).toEqual(['automations']);
    }
    const changedWrites = h
      .writes()
      .slice(writesBefore)
      .map((r) => `${r.method} ${r.path.replace(/[0-9a-f-]{36}/g, ':id')}`);
    expect(changedWrites.filter((w) => w.startsWith('PUT'))).toEqual([
      'PUT /api/v1/automations/:id',
      'PUT /api/v1/automations/:id',
    ]);
    expect(changedWrites.filter((w) => w === 'POST /api/v1/automations')).toEqual([]);
    for (const [index, result] of third.customers.entries()) {
      const qc = h.env.tenant(result.tenantHost!);
      const list = unwrap(await qc.automations.GET('/api/v1/automations')).data!;
      expect(list.map((a) => a.id).sort()).toEqual(idsBefore[index]);
      const refresh = unwrap(
        await qc.automations.GET('/api/v1/automations/{id}', {
          params: { path: { id: list.find((a) => a.name === 'Refresh cache')!.id! } },
        }),
      );
      expect(refresh.workspace).toEqual({ blocks: [{ id: 'start' }, { id: 'new-step' }] });
    }
  }, 120_000);
});
