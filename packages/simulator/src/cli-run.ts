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

interface FlagHelp {
  type: 'string' | 'boolean';
  short?: string;
  /** Shown in help, e.g. `<n>`. */
  value?: string;
  description: string;
}

// One table for parsing and for help. The layout is the one `qlik-oem --help` prints, so a partner reads
// both tools the same way (the simulator shares no code with the SDK, so it has its own copy).
const CLI_FLAGS = {
  port: { type: 'string', value: '<n>', description: 'port to listen on (default 8080; 0 = any free port)' },
  listen: { type: 'string', value: '<host>', description: 'interface to bind (default 127.0.0.1)' },
  seed: { type: 'string', value: '<n>', description: 'seed for ids and fault injection (default 1)' },
  state: {
    type: 'string',
    value: '<file>',
    description: 'initial state JSON file (default: built-in source tenant + eu/us clients)',
  },
  https: { type: 'boolean', description: 'serve HTTPS with a generated CA (its PEM is written to a file)' },
  'ca-out': {
    type: 'string',
    value: '<file>',
    description: 'where to write the CA PEM (default: <tmpdir>/qlik-oem-sim-ca-<port>.pem)',
  },
  'time-scale': {
    type: 'string',
    value: '<n>',
    description: 'simulated time speed (default 1; 60 = one simulated minute per real second)',
  },
  lenient: {
    type: 'boolean',
    description: 'do not validate traffic against the specs (default strict: a violation is a 500 SIM-SPEC-VIOLATION)',
  },
  specs: {
    type: 'string',
    value: '<dir>',
    description: 'validate against this copy of the Qlik Cloud specs (checked against the shipped sha256 list)',
  },
  'no-rate-limits': { type: 'boolean', description: "do not enforce Qlik's rate limits" },
  'no-latency': { type: 'boolean', description: 'answer without simulated latency' },
  'fault-rate': {
    type: 'string',
    value: '<r>',
    description: 'inject faults (429/500/503/resets/slow) into a fraction r of requests',
  },
  help: { type: 'boolean', short: 'h', description: 'show this help' },
} as const satisfies Record<string, FlagHelp>;

/** Exit codes, as `qlik-oem` numbers them: 64 (EX_USAGE) for bad flags. */
export const CLI_EXIT = { ok: 0, failed: 1, usage: 64 } as const;

function flagLines(): string[] {
  const flags = Object.entries(CLI_FLAGS) as Array<[string, FlagHelp]>;
  const left = flags.map(
    ([name, f]) => `${f.short ? `-${f.short}, ` : '    '}--${name}${f.value ? ` ${f.value}` : ''}`,
  );
  const width = Math.max(...left.map((l) => l.length));
  return flags.map(([, f], i) => `  ${left[i]!.padEnd(width)}  ${f.description}`);
}

export const CLI_USAGE = [
  'Usage: qlik-oem-sim [options]',
  '',
  'Start the Qlik Cloud and QSEoW simulator until Ctrl-C (SIGINT) or SIGTERM.',
  '',
  'Options:',
  ...flagLines(),
  '',
  'Values go after a space or an equals sign: --port 8080 or --port=8080.',
  '',
  'Exit codes:',
  `  ${String(CLI_EXIT.ok).padEnd(2)}  stopped by SIGINT or SIGTERM`,
  `  ${String(CLI_EXIT.failed).padEnd(2)}  the simulator could not start (port taken, specs missing or drifted)`,
  `  ${String(CLI_EXIT.usage).padEnd(2)}  bad flags (nothing was started)`,
  '',
].join('\n');

export class CliUsageError extends Error {
  override readonly name = 'CliUsageError';
}

const PARSE_OPTIONS = Object.fromEntries(
  Object.entries(CLI_FLAGS).map(([name, f]) => [name, { type: f.type, ...('short' in f ? { short: f.short } : {}) }]),
) as { [K in keyof typeof CLI_FLAGS]: { type: (typeof CLI_FLAGS)[K]['type']; short?: string } };

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
  let values: ReturnType<typeof parseArgs<{ args: string[]; options: typeof PARSE_OPTIONS }>>['values'];
  try {
    ({ values } = parseArgs({ args: argv, options: PARSE_OPTIONS, strict: true, allowPositionals: false }));
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
  err: (text: string) => void = (t) => process.stderr.write(`${t}\n`),
): Promise<number> {
  let options: CliOptions | undefined;
  try {
    options = parseCliArgs(argv);
  } catch (error) {
    err(`${(error as Error).message}. See: qlik-oem-sim --help`);
    return CLI_EXIT.usage;
  }
  if (!options) {
    out(CLI_USAGE);
    return CLI_EXIT.ok;
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
  } catch (error) {
    err(`Cannot start the simulator: ${(error as Error).message}`);
    return CLI_EXIT.failed;
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
  return CLI_EXIT.ok;
}
