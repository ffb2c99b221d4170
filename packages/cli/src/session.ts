// The session file `qlik-oem simulator` writes, so that other qlik-oem processes reach that simulator.
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Simulator } from '@qlik-oem/simulator';
import { z } from 'zod';
import { CliUsageError } from './exit-codes.js';

const sessionSchema = z.object({
  /** A fresh id per simulator start: journals of an earlier simulator never apply to this one. */
  sessionId: z.string().min(1),
  pid: z.number().int(),
  port: z.number().int(),
  protocol: z.enum(['http', 'https']),
  caPem: z.string().optional(),
  region: z.string().min(1),
  sourceTenant: z.string().min(1),
  clientId: z.string().min(1),
  clientSecret: z.string().min(1),
  timeScale: z.number().positive(),
  /** A partner signing identity generated for this simulator (public key only). */
  jwt: z.object({ issuer: z.string(), keyId: z.string(), publicKeyPem: z.string() }),
  /** The simulator's QSEoW site, when it serves one (`qlik-oem assess` reads it). */
  qseow: z
    .object({
      host: z.string().min(1),
      virtualProxy: z.string().min(1),
      userId: z.string().min(1),
      userDirectory: z.string().min(1),
      privateKeyPem: z.string().min(1),
    })
    .optional(),
});

/** What the session file holds (the simulator's built-in regional client is a simulator default, not a secret). */
export interface SimulatorSession {
  sessionId: string;
  pid: number;
  port: number;
  protocol: 'http' | 'https';
  caPem?: string;
  region: string;
  sourceTenant: string;
  clientId: string;
  clientSecret: string;
  timeScale: number;
  jwt: { issuer: string; keyId: string; publicKeyPem: string };
  qseow?: SimulatorQseowSite;
}

/**
 * A QSEoW site the simulator serves behind a JWT virtual proxy, and the signing key that proxy trusts (a key
 * generated for this simulator, kept in the session file with mode 0600 like the simulator's client secret).
 */
export interface SimulatorQseowSite {
  host: string;
  virtualProxy: string;
  userId: string;
  userDirectory: string;
  privateKeyPem: string;
}

export function readSession(path: string, options: { requireRunning: boolean }): SimulatorSession {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    throw new CliUsageError(
      `No simulator session at ${path}: start one with \`qlik-oem simulator\` (in another terminal), or choose another --context`,
    );
  }
  const parsed = sessionSchema.safeParse(raw);
  if (!parsed.success) throw new CliUsageError(`${path} is not a qlik-oem simulator session file`);
  if (!options.requireRunning) return parsed.data;
  try {
    process.kill(parsed.data.pid, 0);
  } catch {
    throw new CliUsageError(`The simulator of ${path} (pid ${parsed.data.pid}) is not running: start it again`);
  }
  return parsed.data;
}

/** The regional client and source tenant of the simulator's built-in state. */
const BUILT_IN = {
  region: 'eu',
  sourceTenant: 'source.eu.qlikcloud.com',
  clientId: 'sim-eu-regional',
  clientSecret: 'sim-eu-regional-secret',
};

/**
 * Writes the session file through which qlik-oem commands reach `sim` (a simulator with the built-in
 * state, started by `qlik-oem simulator` or by your own test with `startSimulator({ https: true })`).
 * It generates the partner's JWT signing identity for this simulator (public key only). With `qseow`, the
 * session also names the simulator's QSEoW site (for `qlik-oem assess`).
 */
export function writeSimulatorSession(
  sim: Simulator,
  path: string,
  options: { timeScale: number; qseow?: SimulatorQseowSite },
): SimulatorSession {
  const { publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const session: SimulatorSession = {
    sessionId: randomUUID(),
    pid: process.pid,
    port: sim.port,
    protocol: sim.protocol,
    ...(sim.caPem ? { caPem: sim.caPem } : {}),
    ...BUILT_IN,
    timeScale: options.timeScale,
    jwt: {
      issuer: 'https://broker.partner.example',
      keyId: 'qlik-oem-simulator',
      publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    },
    ...(options.qseow ? { qseow: options.qseow } : {}),
  };
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, `${JSON.stringify(session, null, 2)}\n`, { mode: 0o600 });
  return session;
}
