// Where a command provisions: the environment, partner identity and journal of the chosen context.
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Logger } from '@qlik-oem/core';
import type { CreateSocket } from '@qlik-oem/engine';
import {
  createFileJournalStore,
  createProvisioningEnvironment,
  Secret,
  type JournalStore,
  type PartnerConfigInput,
  type ProvisioningEnvironment,
  type ProvisioningEnvironmentOptions,
  type QseowSiteOptions,
} from '@qlik-oem/recipes';
import { createSimDispatcher, createSimSocket, type SimTarget } from '@qlik-oem/simulator';
import { configPath, type CliConfig, type ContextConfig } from './config.js';
import { CliUsageError } from './exit-codes.js';
import { readSession } from './session.js';

export interface Target {
  /** What the run talks to, for humans (no secret). */
  description: string;
  env: ProvisioningEnvironment;
  partner: PartnerConfigInput;
  journal: JournalStore;
  journalDirectory: string;
  /** How many times faster than real time the target's clock runs (the simulator's time scale; else 1). */
  timeScale: number;
}

/** Where `qlik-oem simulator` writes its session by default: `.qlik-oem/simulator.json` in the working directory. */
export const defaultSessionPath = (cwd: string): string => resolve(cwd, '.qlik-oem/simulator.json');

const sessionPathOf = (config: CliConfig, context: { session?: string | undefined }, cwd: string): string =>
  context.session ? configPath(config, context.session) : defaultSessionPath(cwd);

/** The journal of a context, found without calling Qlik (and without needing the simulator to run). */
export function journalOf(
  config: CliConfig,
  context: ContextConfig,
  contextName: string,
  cwd: string,
): { journal: JournalStore; journalDirectory: string } {
  const scope =
    context.type === 'simulator'
      ? `simulator-${readSession(sessionPathOf(config, context, cwd), { requireRunning: false }).sessionId}`
      : contextName;
  const journalDirectory = join(configPath(config, config.journal), scope);
  return { journal: createFileJournalStore({ directory: journalDirectory }), journalDirectory };
}

export function openTarget(
  config: CliConfig,
  context: ContextConfig,
  contextName: string,
  cwd: string,
  logger?: Logger,
): Target {
  let options: ProvisioningEnvironmentOptions;
  let jwt: PartnerConfigInput['jwt'];
  let description: string;
  let journalScope: string;
  if (context.type === 'simulator') {
    const session = readSession(sessionPathOf(config, context, cwd), { requireRunning: true });
    const target: SimTarget = {
      port: session.port,
      protocol: session.protocol,
      caPem: session.caPem,
      serves: (hostname) => hostname.endsWith('.qlikcloud.com'),
    };
    const dispatcher = createSimDispatcher(target);
    // Node's fetch over undici, routed to the simulator: the HTTP stack a broker uses in production.
    const simFetch: typeof fetch = (input, init) => fetch(input, { ...init, dispatcher } as unknown as RequestInit);
    const createSocket: CreateSocket = (url, init) => createSimSocket(target, url, init);
    options = {
      region: session.region,
      sourceTenantHost: session.sourceTenant,
      oauth: { clientId: session.clientId, clientSecret: new Secret(session.clientSecret) },
      fetch: simFetch,
      createSocket,
      timeScale: session.timeScale,
    };
    jwt = session.jwt;
    description = `the qlik-oem simulator on port ${session.port} (time scale ${session.timeScale}x)`;
    journalScope = `simulator-${session.sessionId}`;
  } else {
    let publicKeyPem: string;
    try {
      publicKeyPem = readFileSync(configPath(config, context.jwt.publicKeyFile), 'utf8');
    } catch (error) {
      throw new CliUsageError(`contexts.${contextName}.jwt.publicKeyFile: ${(error as Error).message}`);
    }
    options = {
      region: context.region,
      sourceTenantHost: context.sourceTenant,
      oauth: {
        clientId: context.clientId,
        clientSecret: new Secret(context.clientSecret),
        ...(context.scope ? { scope: context.scope } : {}),
      },
    };
    jwt = { issuer: context.jwt.issuer, keyId: context.jwt.keyId, publicKeyPem };
    description = `Qlik Cloud region ${context.region}, source tenant ${context.sourceTenant}`;
    journalScope = contextName;
  }
  const journalDirectory = join(configPath(config, config.journal), journalScope);
  return {
    description,
    env: createProvisioningEnvironment({ ...options, ...(logger ? { logger } : {}) }),
    partner: { ...(config.partner as Omit<PartnerConfigInput, 'jwt'>), jwt },
    journal: createFileJournalStore({ directory: journalDirectory }),
    journalDirectory,
    timeScale: options.timeScale ?? 1,
  };
}

/** The QSEoW site of a context (`qlik-oem assess`): the simulator's sample site, or the context's `qseow`. */
export function openQseowSite(
  config: CliConfig,
  context: ContextConfig,
  contextName: string,
  cwd: string,
): { description: string; site: QseowSiteOptions } {
  const read = (field: string, path: string): string => {
    try {
      return readFileSync(configPath(config, path), 'utf8');
    } catch (error) {
      throw new CliUsageError(`contexts.${contextName}.qseow.${field}: ${(error as Error).message}`);
    }
  };
  if (context.type === 'simulator') {
    const sessionFile = sessionPathOf(config, context, cwd);
    const session = readSession(sessionFile, { requireRunning: true });
    const qseow = session.qseow;
    if (!qseow) throw new CliUsageError(`The simulator of ${sessionFile} serves no QSEoW site`);
    const target: SimTarget = {
      port: session.port,
      protocol: session.protocol,
      caPem: session.caPem,
      serves: (hostname) => hostname === qseow.host,
    };
    const dispatcher = createSimDispatcher(target);
    return {
      description: `the simulator's QSEoW site ${qseow.host}`,
      site: {
        host: qseow.host,
        virtualProxyPrefix: qseow.virtualProxy,
        jwt: { signingKey: new Secret(qseow.privateKeyPem), userId: qseow.userId, userDirectory: qseow.userDirectory },
        fetch: (input, init) => fetch(input, { ...init, dispatcher } as unknown as RequestInit),
        createSocket: (url, init) => createSimSocket(target, url, init),
      },
    };
  }
  const qseow = context.qseow;
  if (!qseow) throw new CliUsageError(`contexts.${contextName} has no qseow section: which site should be assessed?`);
  return {
    description: `the QSEoW site ${qseow.host}`,
    site: {
      host: qseow.host,
      ...(qseow.port ? { port: qseow.port } : {}),
      virtualProxyPrefix: qseow.virtualProxy,
      jwt: {
        signingKey: new Secret(read('jwtKeyFile', qseow.jwtKeyFile)),
        userId: qseow.userId,
        userDirectory: qseow.userDirectory,
      },
      ...(qseow.caFile ? { ca: read('caFile', qseow.caFile) } : {}),
    },
  };
}
