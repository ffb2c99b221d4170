// The broker service: `npm run start -w @qlik-oem/example-broker`. Runs against the embedded Qlik Cloud simulator,
// or against Qlik Cloud when QLIK_CLIENT_ID (and friends, see the README) are set.
import { readSettings } from './settings.js';
import { startBroker } from './start.js';

const broker = await startBroker(readSettings(process.env), { logger: { level: process.env.LOG_LEVEL ?? 'info' } });
process.stdout.write(`Broker listening on ${broker.url}${broker.simulatorUrl ? ` (embedded Qlik Cloud simulator at ${broker.simulatorUrl})` : ''}\n`);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    process.stdout.write('Stopping: runs in flight are aborted and resume from the journal on the next POST.\n');
    void broker.close().then(() => process.exit(0));
  });
}
