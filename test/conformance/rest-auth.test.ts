/**
 * Authorization as Qlik's official REST client sees it: @qlik/api (unchanged, over Node's global fetch with
 * the simulator's undici dispatcher) getting tokens (client credentials, user impersonation) and meeting
 * the 403s Qlik documents: a missing tenant role, a missing scope, a missing space role. The 403 cases are
 * the table in forbidden-cases.ts, which forbidden-without-authorization.test.ts also runs with
 * authorization off (where none of them may get 403).
 */
import { apps, identityProviders, roles, spaces, users } from '@qlik/api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FORBIDDEN_CASES, asViewer, botWith, startForbiddenTarget, type ForbiddenTarget } from './forbidden-cases.js';
import { statusOf } from './setup.js';

let target: ForbiddenTarget;

beforeAll(async () => {
  target = await startForbiddenTarget('enforced');
});
afterAll(async () => {
  expect(target.sim.violations).toEqual([]);
  await target.close();
});

describe('@qlik/api REST calls against the simulator: authorization', () => {
  // First, while neither the bot nor the viewer has a role in the template space.
  describe('the 403s Qlik documents', () => {
    it.each(FORBIDDEN_CASES.map((c) => [c.name, c] as const))('%s: 403', async (_name, forbidden) => {
      expect(await forbidden.status(target)).toBe(403);
    });
  });

  it('a TenantAdmin bot with admin_classic reads roles and identity providers; user_default reaches spaces', async () => {
    const admin = botWith('admin_classic');
    expect((await roles.getRoles({}, admin)).status).toBe(200);
    expect((await identityProviders.getIdps({}, admin)).status).toBe(200);
    expect((await spaces.getSpaces({}, botWith('user_default'))).status).toBe(200);
  });

  it('a bot that reads the template app exports it once it can edit in the space (producer)', async () => {
    const admin = botWith('admin_classic user_default');
    const templates = (await spaces.getSpaces({ name: 'Templates' }, admin)).data.data![0]!;
    const me = (await users.getMyUser(admin)).data;
    expect((await apps.getAppInfo(target.templateAppId, admin)).status).toBe(200);
    await spaces.createSpaceAssignment(templates.id, { type: 'user', assigneeId: me.id, roles: ['producer'] }, admin);
    expect(await statusOf(apps.exportApp(target.templateAppId, {}, admin))).toBe(201);
  });

  it('impersonation (subject): the token acts as that user, who is no admin and sees only spaces they belong to', async () => {
    const me = await users.getMyUser(asViewer());
    expect(me.data.subject).toBe('partner|viewer');
    expect((await spaces.getSpaces({}, asViewer())).data.data).toEqual([]);
  });
});
