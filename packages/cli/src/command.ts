// What every command gets: its parsed flags, the io streams, and the config and fleet it names.
import { readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { resolve } from 'node:path';
import type { CustomerInput } from '@qlik-oem/recipes';
import type { CommandSpec, ParsedValues } from './args.js';
import { configPath, loadConfig, type CliConfig, type ContextConfig } from './config.js';
import type { ExitCode } from './exit-codes.js';
import { fleetEntryName, readFleetFile } from './fleet-file.js';

export interface CliIo {
  stdout: { write(text: string): unknown; isTTY?: boolean; columns?: number };
  stderr: { write(text: string): unknown };
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** Aborted on SIGINT/SIGTERM by the binary; commands finish or journal what is in flight. */
  signal?: AbortSignal;
}

export interface CommandInvocation {
  io: CliIo;
  values: ParsedValues;
  positionals: string[];
}

export interface Command extends CommandSpec {
  run(invocation: CommandInvocation): Promise<ExitCode>;
}

export interface LoadedFleet {
  config: CliConfig;
  context: ContextConfig;
  contextName: string;
  customers: CustomerInput[];
  /** A digest of the config and fleet files as written (references, not secret values) and the context. */
  inputFingerprint: string;
  /** Where a customer is written in the fleet file (`customers.csv line 3`), for error messages. */
  locate(customerId: string): string;
}

/** The config file a command names (`--config`, QLIK_OEM_CONFIG, ./qlik-oem.json) and its chosen context. */
export function loadContext(invocation: CommandInvocation): {
  file: string;
  config: CliConfig;
  context: ContextConfig;
  contextName: string;
} {
  const { io, values } = invocation;
  const file = resolve(
    io.cwd,
    (values['config'] as string | undefined) ?? io.env['QLIK_OEM_CONFIG'] ?? 'qlik-oem.json',
  );
  return { file, ...loadConfig(file, io.env, values['context'] as string | undefined) };
}

export function loadFleet(invocation: CommandInvocation): LoadedFleet {
  const { file, config, context, contextName } = loadContext(invocation);
  const fleetPath = configPath(config, config.fleet);
  const customers = readFleetFile(fleetPath);
  const inputFingerprint = `sha256:${createHash('sha256')
    .update(JSON.stringify([contextName, readFileSync(file, 'utf8'), readFileSync(fleetPath, 'utf8')]))
    .digest('hex')}`;
  const locate = (customerId: string) => {
    const index = customers.findIndex((customer) => customer.customerId === customerId);
    return index < 0 ? fleetPath : fleetEntryName(fleetPath, index);
  };
  return { config, context, contextName, customers, inputFingerprint, locate };
}

/** Writes one JSON document (the `--json` output of every command). */
export function printJson(io: CliIo, value: unknown): void {
  io.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}
