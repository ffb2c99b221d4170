// Commands and their flags on node:util parseArgs: `--name value` and `--name=value`, one help layout for all.
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { CliUsageError } from './exit-codes.js';

export interface FlagSpec {
  type: 'string' | 'boolean';
  short?: string;
  /** Shown in help, e.g. `<file>`. */
  value?: string;
  description: string;
  multiple?: boolean;
}

export type Flags = Record<string, FlagSpec>;

export interface CommandSpec {
  name: string;
  summary: string;
  /** Positional arguments, e.g. `[plan.json]`. */
  args?: string;
  flags: Flags;
}

/** Flags every command takes. */
export const GLOBAL_FLAGS: Flags = {
  config: { type: 'string', value: '<file>', description: 'config file (default ./qlik-oem.json, or QLIK_OEM_CONFIG)' },
  context: {
    type: 'string',
    value: '<name>',
    description: 'context of the config file to use (default: currentContext)',
  },
  json: { type: 'boolean', description: 'print one JSON document on stdout instead of text' },
  otlp: {
    type: 'string',
    value: '<url>',
    description: 'export traces over OTLP/HTTP, e.g. http://127.0.0.1:4318/v1/traces (or OTEL_EXPORTER_OTLP_ENDPOINT)',
  },
  help: { type: 'boolean', short: 'h', description: 'show this help' },
};

export type ParsedValues = Record<string, string | boolean | string[] | undefined>;

export function parseCommandArgs(spec: CommandSpec, argv: string[]): { values: ParsedValues; positionals: string[] } {
  const options: ParseArgsConfig['options'] = {};
  for (const [name, flag] of Object.entries({ ...GLOBAL_FLAGS, ...spec.flags }))
    options[name] = {
      type: flag.type,
      ...(flag.short ? { short: flag.short } : {}),
      ...(flag.multiple ? { multiple: true } : {}),
    };
  try {
    const parsed = parseArgs({ args: argv, options, allowPositionals: true, strict: true });
    return { values: parsed.values as ParsedValues, positionals: parsed.positionals };
  } catch (error) {
    throw new CliUsageError(`${(error as Error).message}. See: qlik-oem ${spec.name} --help`);
  }
}

function flagLines(flags: Flags): string[] {
  const left = Object.entries(flags).map(
    ([name, f]) => `${f.short ? `-${f.short}, ` : '    '}--${name}${f.value ? ` ${f.value}` : ''}`,
  );
  const width = Math.max(...left.map((l) => l.length));
  return Object.values(flags).map((f, i) => `  ${left[i]!.padEnd(width)}  ${f.description}`);
}

export function commandHelp(spec: CommandSpec): string {
  return [
    `Usage: qlik-oem ${spec.name}${spec.args ? ` ${spec.args}` : ''} [options]`,
    '',
    spec.summary,
    '',
    'Options:',
    ...flagLines(spec.flags),
    '',
    'Global options:',
    ...flagLines(GLOBAL_FLAGS),
    '',
  ].join('\n');
}

/** The help of a command group (`qlik-oem secrets`): its commands. */
export function groupHelp(group: string, commands: readonly CommandSpec[]): string {
  const names = commands.map((c) => c.name.slice(group.length + 1));
  const width = Math.max(...names.map((n) => n.length));
  return [
    `Usage: qlik-oem ${group} <command> [options]`,
    '',
    'Commands:',
    ...commands.map((c, i) => `  ${names[i]!.padEnd(width)}  ${c.summary}`),
    '',
    `Run \`qlik-oem ${group} <command> --help\` for the options of a command.`,
    '',
  ].join('\n');
}

export function mainHelp(commands: readonly CommandSpec[], exitCodes: string): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  return [
    'Usage: qlik-oem <command> [options]',
    '',
    'Provision and keep a fleet of Qlik Cloud customer tenants: plan, apply, status and drift; assess a QSEoW site.',
    '',
    'Commands:',
    ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'Global options:',
    ...flagLines(GLOBAL_FLAGS),
    '',
    'Exit codes:',
    exitCodes,
    '',
    'Run `qlik-oem <command> --help` for the options of a command.',
    '',
  ].join('\n');
}

/** A whole number ≥ 1 from a flag, or a usage error naming the flag. */
export function positiveInteger(name: string, raw: ParsedValues[string], fallback: number): number {
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (typeof raw !== 'string' || !/^\d+$/.test(raw) || value < 1)
    throw new CliUsageError(
      `--${name} must be a whole number of at least 1, not "${typeof raw === 'string' ? raw : JSON.stringify(raw)}"`,
    );
  return value;
}
