// The exit codes of every qlik-oem command (documented in the README and `qlik-oem --help`).
export const EXIT = {
  /** Done; nothing failed (plan/drift: nothing differs). */
  ok: 0,
  /** A customer failed, a saved plan was stale, or the command could not run. */
  failed: 1,
  /** `plan --detailed-exitcode` found changes; `drift` found customers that differ. */
  changes: 2,
  /** Bad flags, a bad config or fleet file, or a fleet mistake found before the first write: nothing written. */
  usage: 64,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** A problem with what the user gave (flags, files, variables): exit 64 with this message, no stack trace. */
export class CliUsageError extends Error {
  override name = 'CliUsageError';
}
