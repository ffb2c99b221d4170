import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { startSimulator, type Simulator, type SimulatorOptions } from './simulator.js';
import { registrationHost } from './state/regions.js';

export interface CliOptions {
  port: number;
  listenHost: string;
  seed: number | undefined;
  statePath: string | undefined;
  https: boolean;
  timeScale: number;
  lenient: boolean;
  specsDir: string | undefined;
  rateLimits: boolean;
  latency: boolean;
  faultRate: number | undefined;
  caOut: string | undefined;
}

export const CLI_USAGE = `Usage: qlik-oem-sim [options]

  --port <n>          port to listen on (default 8080; 0 = any free port)
  --listen <host>     interface to bind (default 127.0.0.1)
  --seed <n>          seed for ids and fault injection (default 1)
  --state <file>      initial state JSON file (default: built-in source tenant + eu/us clients)
  --https             serve HTTPS with a generated CA (its PEM is written to a file)
  --ca-out <file>     where to write the CA PEM (default: <tmpdir>/qlik-oem-sim-ca-<port>.pem)
  --time-scale <n>    simulated time speed: 60 = one simulated minute per real second
  --lenient           do not validate traffic against the official specs (strict is the default:
                      a request or answer that breaks them gets 500 SIM-SPEC-VIOLATION)
  --specs <dir>       validate against this copy of the Qlik Cloud specs (checked against the shipped sha256 list)
  --no-rate-limits    do not enforce Qlik's rate limits
  --no-latency        answer without simulated latency
  --fault-rate <r>    inject faults (429/500/503/resets/slow) into a fraction r of requests
  --help, -h          show this help

Values go after a space or an equals sign: --port 8080 or --port=8080.
`;

export class CliUsageError extends Error {
  override readonly name = 'CliUsageError';
}

const CLI_FLAGS = {
  help: { type: 'boolean', short: 'h' },
  port: { type: 'string' },
  listen: { type: 'string' },
  seed: { type: 'string' },
  state: { type: 'string' },
  https: { type: 'boolean' },
  'ca-out': { type: 'string' },
  'time-scale': { type: 'string' },
  lenient: { type: 'boolean' },
  specs: { type: 'string' },
  'no-rate-limits': { type: 'boolean' },
  'no-latency': { type: 'boolean' },
  'fault-rate': { type: 'string' },
} as const;

function numberArg(flag: string, value: string | undefined, check: (n: number) => boolean): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || !check(n))
    throw new CliUsageError(`--${flag} needs a valid number, got ${JSON.stringify(value)}`);
  return n;
}

function stringArg(flag: string, value: string | undefined): string | undefined {
  if (value !== undefined && value.length === 0) throw new CliUsageError(`--${flag} needs a value`);
  return value;
}

/** Parses CLI arguments (without node and the script path; `--port 8080` and `--port=8080`). Undefined for --help. */
export function parseCliArgs(argv: string[]): CliOptions | undefined {
  let values: ReturnType<typeof parseArgs<{ args: string[]; options: typeof CLI_FLAGS }>>['values'];
  try {
    ({ values } = parseArgs({ args: argv, options: CLI_FLAGS, strict: true, allowPositionals: false }));
  } catch (err) {
    throw new CliUsageError((err as Error).message);
  }
  if (values.help) return undefined;
  return {
    port: numberArg('port', values.port, (n) => Number.isInteger(n) && n >= 0 && n <= 65535) ?? 8080,
    listenHost: stringArg('listen', values.listen) ?? '127.0.0.1',
    seed: numberArg('seed', values.seed, Number.isInteger),
    statePath: stringArg('state', values.state),
    https: values.https === true,
    timeScale: numberArg('time-scale', values['time-scale'], (n) => n > 0) ?? 1,
    lenient: values.lenient === true,
    specsDir: stringArg('specs', values.specs),
    rateLimits: values['no-rate-limits'] !== true,
    latency: values['no-latency'] !== true,
    faultRate: numberArg('fault-rate', values['fault-rate'], (n) => n >= 0 && n <= 1),
    caOut: stringArg('ca-out', values['ca-out']),
  };
}

/** What the CLI prints after start: where to point clients, and the credentials they need. */
export function describeSimulator(sim: Simulator, caPath: string | undefined): string {
  const lines = [`Listening on ${sim.url}`];
  if (caPath) lines.push(`CA certificate: ${caPath}`);
  lines.push('', 'Hosts (send requests to the address above with this Host / SNI name):');
  for (const region of sim.state.regions) lines.push(`  ${registrationHost(region)}  (registration, region ${region})`);
  lines.push('  console.qlikcloud.com  (Organization API)');
  for (const t of sim.state.tenants.values())
    lines.push(`  ${t.hostnames.join(', ')}  (tenant ${t.id}, region ${t.region})`);
  for (const h of sim.state.extraHosts) lines.push(`  ${h}  (QSEoW)`);
  lines.push('', 'OAuth clients (client_credentials on POST /oauth/token):');
  for (const c of sim.state.oauthClients.values()) {
    const scope = c.organization
      ? 'organization: console.qlikcloud.com'
      : c.region !== undefined
        ? `regional: ${c.region}`
        : `tenant: ${sim.state.tenantById(c.tenantId ?? '')?.hostname ?? '?'}`;
    lines.push(`  ${c.clientId} / ${sim.state.revealClientSecret(c.clientId) ?? '?'}  (${scope})`);
  }
  const first = [...sim.state.tenants.values()][0]?.hostname;
  if (first) {
    const scheme = sim.protocol;
    const connect = `--connect-to ::127.0.0.1:${sim.port}${caPath ? ` --cacert ${caPath}` : ''}`;
    lines.push(
      '',
      'Try:',
      `  curl ${connect} -d grant_type=client_credentials -d client_id=<id> -d client_secret=<secret> ${scheme}://${first}/oauth/token`,
    );
    lines.push(`  curl ${connect} -L -H "Authorization: Bearer <token>" ${scheme}://${first}/api/v1/users/me`);
  }
  return lines.join('\n');
}

/** Runs the CLI until SIGINT/SIGTERM. Returns the process exit code. */
export async function runCli(
  argv: string[],
  out: (text: string) => void = (t) => process.stdout.write(`${t}\n`),
): Promise<number> {
  let options: CliOptions | undefined;
  try {
    options = parseCliArgs(argv);
  } catch (err) {
    out(`${(err as Error).message}\n\n${CLI_USAGE}`);
    return 2;
  }
  if (!options) {
    out(CLI_USAGE);
    return 0;
  }
  const simOptions: SimulatorOptions = {
    port: options.port,
    listenHost: options.listenHost,
    https: options.https,
    timeScale: options.timeScale,
    lenient: options.lenient,
    rateLimits: options.rateLimits,
    ...(options.latency ? {} : { latency: false as const }),
    ...(options.seed !== undefined ? { seed: options.seed } : {}),
    ...(options.statePath !== undefined ? { state: options.statePath } : {}),
    ...(options.specsDir !== undefined ? { specsDir: options.specsDir } : {}),
    ...(options.faultRate !== undefined ? { faults: { rate: options.faultRate } } : {}),
  };
  let sim: Simulator;
  try {
    sim = await startSimulator(simOptions);
  } catch (err) {
    out(`Cannot start the simulator: ${(err as Error).message}`);
    return 1;
  }
  let caPath: string | undefined;
  if (sim.caPem) {
    caPath = options.caOut ?? join(tmpdir(), `qlik-oem-sim-ca-${sim.port}.pem`);
    writeFileSync(caPath, sim.caPem);
  }
  out(describeSimulator(sim, caPath));
  await new Promise<void>((resolve) => {
    const stop = (): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  await sim.close();
  out('Simulator stopped.');
  return 0;
}
