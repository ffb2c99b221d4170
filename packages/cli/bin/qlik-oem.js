#!/usr/bin/env node
// A committed launcher: npm links a workspace's bin at install time, before dist/ is built.
import { runCli } from '../dist/index.js';

// Ctrl-C / SIGTERM: commands let in-flight work finish or journal it; a second signal exits at once.
const controller = new AbortController();
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    if (controller.signal.aborted) process.exit(130);
    controller.abort(new Error(`interrupted (${signal})`));
  });
}
process.exitCode = await runCli(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  cwd: process.cwd(),
  signal: controller.signal,
});
