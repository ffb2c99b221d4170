import { exportSPKI, generateKeyPair, SignJWT } from 'jose';
import { afterEach, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../../src/index.js';

let sim: Simulator | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

describe('QSEoW host on the simulator server (state file `qseow` section)', () => {
  it('serves QRS over real sockets: Xrfkey enforced, JWT proxy and repository-port auth', async () => {
    const { publicKey, privateKey } = await generateKeyPair('ES256');
    sim = await startSimulator({
      strict: true,
      latency: false,
      state: {
        regions: ['eu'],
        tenants: [],
        oauthClients: [],
        qseow: {
          hostname: 'qseow.partner.local',
          virtualProxies: [{ prefix: 'jwt', jwtPublicKeyPem: await exportSPKI(publicKey) }],
          trustRepositoryClients: true,
        },
      },
    });
    const jwt = await new SignJWT({ userid: 'bur', userdirectory: 'jwt' })
      .setProtectedHeader({ alg: 'ES256' })
      .sign(privateKey);
    const key = 'abcdefABCDEF0123';
    const noKey = await sim.fetch('https://qseow.partner.local/jwt/qrs/about', {
      headers: { authorization: `Bearer ${jwt}` },
    });
    expect(noKey.status).toBe(400);
    const viaProxy = await sim.fetch(`https://qseow.partner.local/jwt/qrs/about?xrfkey=${key}`, {
      headers: { authorization: `Bearer ${jwt}`, 'x-qlik-xrfkey': key },
    });
    expect(viaProxy.status).toBe(200);
    expect(await viaProxy.json()).toMatchObject({ buildVersion: expect.any(String) });
    const unauthenticated = await sim.fetch(`https://qseow.partner.local/jwt/qrs/about?xrfkey=${key}`, {
      headers: { 'x-qlik-xrfkey': key },
    });
    expect(unauthenticated.status).toBe(401);
    const repositoryPort = await sim.fetch(`https://qseow.partner.local:4242/qrs/about?xrfkey=${key}`, {
      headers: { 'x-qlik-xrfkey': key, 'x-qlik-user': 'UserDirectory=INTERNAL; UserId=sa_repository' },
    });
    expect(repositoryPort.status).toBe(200);
  });
});
