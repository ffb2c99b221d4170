// The qlik-oem command line: picks the command, parses its flags, maps errors to exit codes.
import { withSpan } from '@qlik-oem/core/tracing';
import { commandHelp, groupHelp, mainHelp, parseCommandArgs } from './args.js';
import type { CliIo, Command } from './command.js';
import { applyCommand } from './commands/apply.js';
import { assessCommand } from './commands/assess.js';
import { driftCommand } from './commands/drift.js';
import { planCommand } from './commands/plan.js';
import { secretsRotateCommand } from './commands/secrets.js';
import { simulatorCommand } from './commands/simulator.js';
import { statusCommand } from './commands/status.js';
import { CliUsageError, EXIT, type ExitCode } from './exit-codes.js';
import { otlpEndpoint, startTracing } from './telemetry.js';

export const COMMANDS: readonly Command[] = [
  planCommand,
  applyCommand,
  statusCommand,
  driftCommand,
  secretsRotateCommand,
  assessCommand,
  simulatorCommand,
];

export const EXIT_CODES_HELP = [
  '  0   done; nothing failed (plan, drift: nothing differs)',
  '  1   a customer failed (apply, secrets rotate), a saved plan was stale, or the command could not run',
  '  2   plan --detailed-exitcode: changes pending; drift: customers differ',
  '  64  bad flags, config or fleet file, or a fleet mistake found before the first write (nothing written)',
].join('\n');

/** Runs one qlik-oem command line and answers its exit code; never throws. */
export async function runCli(argv: string[], io: CliIo): Promise<ExitCode> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.stdout.write(mainHelp(COMMANDS, EXIT_CODES_HELP));
    return name === undefined ? EXIT.usage : EXIT.ok;
  }
  if (name === '--version') {
    io.stdout.write('0.1.0\n');
    return EXIT.ok;
  }
  // A command of two words (`secrets rotate`) is named by both.
  const command = COMMANDS.find((c) => c.name.split(' ').every((word, i) => argv[i] === word));
  const group = COMMANDS.filter((c) => c.name.startsWith(`${name} `));
  if (!command && group.length > 0) {
    const asked = rest[0] === '--help' || rest[0] === '-h';
    (asked ? io.stdout : io.stderr).write(groupHelp(name, group));
    return asked ? EXIT.ok : EXIT.usage;
  }
  if (!command) {
    io.stderr.write(
      `Unknown command "${name}". Commands: ${COMMANDS.map((c) => c.name).join(', ')}. See: qlik-oem --help\n`,
    );
    return EXIT.usage;
  }
  try {
    const { values, positionals } = parseCommandArgs(command, argv.slice(command.name.split(' ').length));
    if (values['help']) {
      io.stdout.write(commandHelp(command));
      return EXIT.ok;
    }
    const endpoint = otlpEndpoint(values['otlp'] as string | undefined, io.env);
    const stopTracing = endpoint ? await startTracing(endpoint, io.env) : undefined;
    try {
      // One root span per command: the fleet's spans and the command's own lookups nest under it.
      return await withSpan(`qlik-oem ${command.name}`, {}, () => command.run({ io, values, positionals }));
    } finally {
      await stopTracing?.();
    }
  } catch (error) {
    if (error instanceof CliUsageError) {
      io.stderr.write(`${error.message}\n`);
      return EXIT.usage;
    }
    io.stderr.write(`${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}\n`);
    return EXIT.failed;
  }
}
