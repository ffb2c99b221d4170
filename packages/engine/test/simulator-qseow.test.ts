import { exportSPKI, generateKeyPair, SignJWT } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { isQlikAuthError } from '@qlik-oem/core';
import { createQixPlugin, createQseowPlugin, encodeQvf, startSimulator, type Simulator } from '@qlik-oem/simulator';
import {
  createConnection,
  getScript,
  reload,
  rewriteAppConnection,
  save,
  SessionLimiter,
  withApp,
  type EngineOptions,
} from '../src/index.js';
import { staticToken } from './harness.js';

const SITE = 'qseow.partner.local';
let sim: Simulator;
let jwt: string;
let appId: string;

beforeAll(async () => {
  const { publicKey, privateKey } = await generateKeyPair('RS256', { extractable: true });
  const qseow = createQseowPlugin({
    hosts: [
      {
        hostname: SITE,
        virtualProxies: [{ prefix: 'jwt', jwtPublicKeyPem: await exportSPKI(publicKey) }],
        trustRepositoryClients: true,
      },
    ],
  });
  sim = await startSimulator({
    strict: true,
    latency: false,
    rateLimits: false,
    timeScale: 20,
    plugins: [qseow, createQixPlugin({ qseowHosts: () => qseow.hosts })],
  });
  jwt = await new SignJWT({ userid: 'broker', userdirectory: 'PARTNER' })
    .setProtectedHeader({ alg: 'RS256' })
    .setExpirationTime('1h')
    .sign(privateKey);
  const file = encodeQvf({
    name: 'Sales',
    description: '',
    script: "LIB CONNECT TO 'Template DB';\nLOAD 1 AS x AUTOGENERATE 1;",
    properties: {},
    objects: [],
    hasData: true,
  });
  const uploaded = await sim.nodeFetch(`https://${SITE}/qrs/app/upload?name=Sales&xrfkey=abcdefghijklmnop`, {
    method: 'POST',
    headers: {
      'x-qlik-xrfkey': 'abcdefghijklmnop',
      'x-qlik-user': 'UserDirectory=INTERNAL; UserId=sa_repository',
      'content-type': 'application/vnd.qlik.sense.app',
    },
    body: Buffer.from(file),
  });
  expect(uploaded.status).toBe(201);
  appId = ((await uploaded.json()) as { id: string }).id;
  return () => sim.close();
});

describe('@qlik-oem/engine against a simulated QSEoW site', () => {
  it('edits, reloads and saves through the JWT virtual proxy; the certificate path sees the saved script', async () => {
    const proxied: EngineOptions = {
      platform: 'qseow',
      host: SITE,
      virtualProxy: 'jwt',
      auth: staticToken(jwt),
      createSocket: sim.createSocket,
      sessionLimiter: new SessionLimiter(),
    };
    await withApp(proxied, appId, async (doc) => {
      expect(await getScript(doc)).toContain("LIB CONNECT TO 'Template DB';");
      await createConnection(doc, { name: 'Customer B', connectionString: 'host=b', type: 'folder' });
      await rewriteAppConnection(doc, { to: 'Customer B' });
      const result = await reload(doc, { pollIntervalMs: 20 });
      expect(result.log).toContain("Connecting to 'Customer B'");
      await save(doc);
    });
    const direct: EngineOptions = {
      platform: 'qseow',
      host: SITE,
      user: { directory: 'INTERNAL', id: 'sa_engine' },
      createSocket: sim.createSocket,
      sessionLimiter: new SessionLimiter(),
    };
    const script = await withApp(direct, appId, (doc) => getScript(doc));
    expect(script).toBe("LIB CONNECT TO 'Customer B';\nLOAD 1 AS x AUTOGENERATE 1;");
  });

  it('refuses a JWT the virtual proxy cannot verify', async () => {
    const error = await withApp(
      {
        platform: 'qseow',
        host: SITE,
        virtualProxy: 'jwt',
        auth: staticToken('not.a.jwt'),
        createSocket: sim.createSocket,
        sessionLimiter: new SessionLimiter(),
      },
      appId,
      async () => undefined,
    ).catch((caught: unknown) => caught);
    expect(isQlikAuthError(error)).toBe(true);
    expect(error).toMatchObject({ status: 401 });
  });
});
