// @qlik-oem/cli: the qlik-oem command line, also callable in-process (`runCli(argv, io)`).
export { runCli, COMMANDS, EXIT_CODES_HELP } from './main.js';
export { EXIT, CliUsageError, type ExitCode } from './exit-codes.js';
export type { CliIo } from './command.js';
export { commandHelp, mainHelp } from './args.js';
export { writeSimulatorSession, type SimulatorSession } from './session.js';
