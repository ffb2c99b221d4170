// `qlik-oem simulator`: the embedded Qlik Cloud simulator as a server other qlik-oem commands (and a broker) use.
import { generateKeyPairSync } from 'node:crypto';
import { rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { defaultStateFile, startSimulator } from '@qlik-oem/simulator';
import { positiveInteger, type ParsedValues } from '../args.js';
import { printJson, type Command } from '../command.js';
import { CliUsageError, EXIT } from '../exit-codes.js';
import { writeSimulatorSession, type SimulatorQseowSite } from '../session.js';

function rate(raw: ParsedValues[string]): number {
  if (raw === undefined) return 0;
  const value = Number(raw);
  if (typeof raw !== 'string' || !Number.isFinite(value) || value < 0 || value >= 1)
    throw new CliUsageError(
      `--fault-rate must be a number from 0 to below 1, not "${typeof raw === 'string' ? raw : JSON.stringify(raw)}"`,
    );
  return value;
}

/** The simulator's QSEoW sample site: customer streams of apps behind a JWT virtual proxy trusting a fresh key. */
function qseowSampleSite(appsPerCustomer: number): { state: Record<string, unknown>; session: SimulatorQseowSite } {
  const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const host = 'qseow.partner.example';
  return {
    state: {
      hostname: host,
      virtualProxies: [
        { prefix: 'jwt', jwtPublicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString() },
      ],
      sampleSite: { appsPerCustomer },
    },
    session: {
      host,
      virtualProxy: 'jwt',
      userId: 'assessor',
      userDirectory: 'PARTNER',
      privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    },
  };
}

export const simulatorCommand: Command = {
  name: 'simulator',
  summary:
    'Start the embedded Qlik Cloud simulator (strict, HTTPS) and a sample QSEoW site until Ctrl-C; other commands find it by its session file.',
  flags: {
    port: { type: 'string', value: '<n>', description: 'port on 127.0.0.1 (default: any free port)' },
    'time-scale': {
      type: 'string',
      value: '<n>',
      description: 'simulated time speed (default 60: a minute per second)',
    },
    seed: { type: 'string', value: '<n>', description: 'seed for ids and faults (default 1)' },
    'fault-rate': {
      type: 'string',
      value: '<r>',
      description: 'inject faults into this fraction of requests (default 0)',
    },
    session: {
      type: 'string',
      value: '<file>',
      description: 'session file to write (default .qlik-oem/simulator.json)',
    },
    'qseow-apps': {
      type: 'string',
      value: '<n>',
      description: 'apps per customer stream of the sample QSEoW site (default 20)',
    },
  },
  async run({ io, values }) {
    const port = values['port'] === undefined ? 0 : positiveInteger('port', values['port'], 0);
    const timeScale = positiveInteger('time-scale', values['time-scale'], 60);
    const seed = positiveInteger('seed', values['seed'], 1);
    const faultRate = rate(values['fault-rate']);
    const sessionFile = resolve(io.cwd, (values['session'] as string | undefined) ?? '.qlik-oem/simulator.json');
    const qseow = qseowSampleSite(positiveInteger('qseow-apps', values['qseow-apps'], 20));
    const sim = await startSimulator({
      state: { ...defaultStateFile(), qseow: qseow.state },
      port,
      https: true,
      strict: true,
      timeScale,
      seed,
      ...(faultRate > 0 ? { faults: { rate: faultRate, seed } } : {}),
    });
    writeSimulatorSession(sim, sessionFile, { timeScale, qseow: qseow.session });
    if (values['json']) printJson(io, { ready: true, port: sim.port, sessionFile });
    else
      io.stdout.write(
        `Simulator ready on https://127.0.0.1:${sim.port} (strict, time scale ${timeScale}x, QSEoW site ${qseow.session.host}); session file ${sessionFile}. Stop with Ctrl-C.\n`,
      );
    await new Promise<void>((done) => {
      if (io.signal?.aborted) return done();
      io.signal?.addEventListener('abort', () => done(), { once: true });
    });
    rmSync(sessionFile, { force: true });
    const violations = sim.violations.length;
    await sim.close();
    if (violations > 0) {
      io.stderr.write(`The simulator saw ${violations} spec violation(s), e.g. ${JSON.stringify(sim.violations[0])}\n`);
      return EXIT.failed;
    }
    return EXIT.ok;
  },
};
