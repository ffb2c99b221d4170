// The broker service: `npm run start -w @qlik-oem/example-broker`. Runs against the embedded Qlik Cloud simulator,
// or against Qlik Cloud when QLIK_CLIENT_ID (and friends, see the README) are set.
import { readSettings } from './settings.js';
import { startBroker } from './start.js';

let broker;
try {
  broker = await startBroker(readSettings(process.env), { logger: { level: process.env.LOG_LEVEL ?? 'info' } });
} catch (error) {
  // Settings and option errors name the variable or option; their messages carry no secrets.
  process.stderr.write(`The broker did not start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
}
process.stdout.write(
  `Broker listening on ${broker.url}${broker.simulatorUrl ? ` (embedded Qlik Cloud simulator at ${broker.simulatorUrl})` : ''}\n`,
);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    process.stdout.write('Stopping: runs in flight are aborted and resume from the journal on the next POST.\n');
    void broker.close().then(() => process.exit(0));
  });
}
