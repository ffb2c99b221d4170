#!/usr/bin/env node
import { runCli } from './cli-run.js';

// The qlik-oem-sim executable: runs until SIGINT/SIGTERM, then exits cleanly.
runCli(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`${(err as Error).stack ?? String(err)}\n`);
    process.exitCode = 1;
  },
);
