// @qlik-oem/cli: the qlik-oem command line, also callable in-process (`runCli(argv, io)`).
export { runCli } from './main.js';
export { EXIT, CliUsageError, type ExitCode } from './exit-codes.js';
export type { CliIo } from './command.js';
export { writeSimulatorSession, type SimulatorQseowSite, type SimulatorSession } from './session.js';
export { cliReferenceMarkdown } from './reference.js';
