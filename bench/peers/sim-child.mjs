// Runs the simulator in its own process, so its request handling does not share the benchmark's event
// loop (and CPU time) with the clients being measured. Prints one JSON line { port, protocol, caPem }
// on stdout once listening, and stops when its stdin closes (the parent exited or is done).
import { startSimulator } from '@qlik-oem/simulator';

const https = process.argv.includes('--https');
const sim = await startSimulator({
  https,
  // Neither latency nor rate limits: the benchmark measures the clients, not the simulated service.
  latency: false,
  rateLimits: false,
  strict: false,
});
process.stdout.write(`${JSON.stringify({ port: sim.port, protocol: sim.protocol, caPem: sim.caPem ?? null })}\n`);

const stop = () => {
  sim.close().then(
    () => process.exit(0),
    () => process.exit(1),
  );
};
process.stdin.on('end', stop);
process.stdin.on('close', stop);
process.stdin.resume();
process.on('SIGTERM', stop);
