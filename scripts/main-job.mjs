#!/usr/bin/env node
// The main job (`npm start`): the qlik-oem CLI over the sample fleet against the embedded simulator.
// Starts `qlik-oem simulator`, runs `apply`, `status`, then `plan` (nothing left to do), and stops it.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const bin = fileURLToPath(new URL('../packages/cli/bin/qlik-oem.js', import.meta.url));
const config = ['--config', 'examples/fleet/qlik-oem.json'];

const simulator = spawn(process.execPath, [bin, 'simulator', '--time-scale', '60'], {
  cwd: root,
  stdio: ['ignore', 'pipe', 'inherit'],
});
const stopSimulator = () =>
  new Promise((resolve) => {
    if (simulator.exitCode !== null) return resolve(simulator.exitCode);
    simulator.once('exit', (code) => resolve(code ?? 1));
    simulator.kill('SIGINT');
  });
process.once('SIGINT', () => undefined); // the children get Ctrl-C themselves and stop cleanly

await new Promise((resolve, reject) => {
  let output = '';
  simulator.stdout.on('data', (chunk) => {
    output += chunk;
    process.stdout.write(chunk);
    if (output.includes('Simulator ready')) resolve();
  });
  simulator.once('exit', (code) => reject(new Error(`qlik-oem simulator exited with ${code}`)));
});

const run = (args) =>
  new Promise((resolve) => {
    process.stdout.write(`\n$ qlik-oem ${args.join(' ')}\n`);
    const child = spawn(process.execPath, [bin, ...args], { cwd: root, stdio: 'inherit' });
    child.once('exit', (code) => resolve(code ?? 1));
  });

let code = await run(['apply', ...config]);
if (code === 0) code = await run(['status', ...config]);
if (code === 0) code = await run(['plan', ...config, '--detailed-exitcode']);
const simulatorCode = await stopSimulator();
process.exitCode = code !== 0 ? code : simulatorCode;
