// The fleet job: `npm start` at the repository root. Provisions every customer in customers.csv
// against the embedded simulator, or against Qlik Cloud when QLIK_CLIENT_ID (and friends) are set.
import { fileURLToPath } from 'node:url';
import { runFleetJob } from './job.js';
import { SettingsError, readSettings, type JobSettings } from './settings.js';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

const controller = new AbortController();
// Ctrl-C or a container stop: customers in flight are aborted, but a tenant create already sent is let
// finish and journaled (the SDK does not abort it), so nothing is orphaned. A second signal exits now.
const stop = (signal: NodeJS.Signals) => {
  if (controller.signal.aborted) process.exit(130);
  process.stderr.write(
    `\nStopping (${signal}): customers in flight are aborted once their tenant creates have answered; run again to resume from the journal.\n`,
  );
  controller.abort(new Error(`interrupted (${signal})`));
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);

let settings: JobSettings;
try {
  settings = readSettings(process.env, {
    customersCsv: here('../customers.csv'),
    partnerFile: here('../partner.sample.json'),
  });
} catch (error) {
  if (!(error instanceof SettingsError)) throw error;
  process.stderr.write(`${error.message}\n`);
  process.exit(64);
}
const outcome = await runFleetJob(settings, {
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  signal: controller.signal,
});
process.exitCode = outcome.exitCode;
