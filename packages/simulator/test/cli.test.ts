import { execFile, spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { CURL_TOKEN_FORM } from './helpers.js';

const run = promisify(execFile);
const built = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
const source = fileURLToPath(new URL('../src/cli.ts', import.meta.url));
// The built CLI when present (npm test builds first); otherwise the sources through tsx.
const cliArgs = existsSync(built) ? [built] : ['--import', 'tsx', source];

const children: ChildProcessWithoutNullStreams[] = [];
afterEach(() => {
  for (const c of children.splice(0)) if (c.exitCode === null) c.kill('SIGKILL');
});

async function startCli(
  args: string[],
): Promise<{ child: ChildProcessWithoutNullStreams; output: () => string; port: number; caPath: string | undefined }> {
  const child = spawn(process.execPath, [...cliArgs, ...args], { stdio: 'pipe' });
  children.push(child);
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  const deadline = Date.now() + 15_000;
  while (!/Try:/.test(out)) {
    if (child.exitCode !== null) throw new Error(`CLI exited early: ${out}`);
    if (Date.now() > deadline) throw new Error(`CLI did not start: ${out}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  const port = Number(/127\.0\.0\.1:(\d+)/.exec(out)?.[1]);
  const caPath = /CA certificate: (\S+)/.exec(out)?.[1];
  return { child, output: () => out, port, caPath };
}

async function curlJson(args: string[]): Promise<any> {
  const { stdout } = await run('curl', ['-sS', '--fail-with-body', ...args]);
  return JSON.parse(stdout);
}

function stop(child: ChildProcessWithoutNullStreams): Promise<number | null> {
  return new Promise((resolve) => {
    child.once('exit', (code) => resolve(code));
    child.kill('SIGINT');
  });
}

describe('qlik-oem-sim CLI', () => {
  it.each([
    ['http', []],
    ['https', ['--https']],
  ] as const)('serves a token and /users/me to curl over %s, and exits cleanly on SIGINT', async (scheme, extra) => {
    // Both spellings of a value: `--port=0` and `--seed 3`.
    const { child, output, port, caPath } = await startCli(['--port=0', '--seed', '3', '--no-latency', ...extra]);
    const tls = scheme === 'https' ? ['--cacert', caPath ?? ''] : [];
    const connect = ['--connect-to', `::127.0.0.1:${port}`, ...tls];
    const token = await curlJson([...connect, ...CURL_TOKEN_FORM, `${scheme}://source.eu.qlikcloud.com/oauth/token`]);
    expect(token.token_type).toBe('bearer');
    const me = await curlJson([
      ...connect,
      '-L',
      '-H',
      `Authorization: Bearer ${token.access_token}`,
      `${scheme}://source.eu.qlikcloud.com/api/v1/users/me`,
    ]);
    expect(me.subject).toBe('qlikbot\\sim-eu-regional');
    expect(await stop(child)).toBe(0);
    expect(output()).toContain('Simulator stopped.');
  });

  async function exitOf(args: string[]): Promise<{ code: number | null; out: string; err: string }> {
    const child = spawn(process.execPath, [...cliArgs, ...args], { stdio: 'pipe' });
    children.push(child);
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    return { code, out, err };
  }

  it.each([
    [['--port', 'abc'], '--port needs a valid number, got "abc"'],
    [['--port=-1'], '--port needs a valid number, got "-1"'],
    [['--prot=8080'], "Unknown option '--prot'"],
    [['--seed'], "Option '--seed <value>' argument missing"],
  ])('refuses %j with exit code 64 (as qlik-oem does) and a pointer to the help', async (args, message) => {
    const { code, out, err } = await exitOf(args);
    expect(code).toBe(64);
    expect(err).toContain(message);
    expect(err).toContain('See: qlik-oem-sim --help');
    expect(out).toBe('');
  });

  it("prints its help with qlik-oem's layout: usage, summary, options with a short-flag column, exit codes", async () => {
    const { code, out } = await exitOf(['--help']);
    expect(code).toBe(0);
    const lines = out.split('\n');
    expect(lines.slice(0, 5)).toEqual([
      'Usage: qlik-oem-sim [options]',
      '',
      expect.stringMatching(/^Start the Qlik Cloud and QSEoW simulator/),
      '',
      'Options:',
    ]);
    expect(lines).toContain('  -h, --help            show this help');
    expect(lines).toContain('      --port <n>        port to listen on (default 8080; 0 = any free port)');
    expect(out).toMatch(/Exit codes:\n {2}0 {3}stopped by SIGINT or SIGTERM\n {2}1 {3}.+\n {2}64 {2}bad flags/);
  });

  it('refuses --specs pointing at a directory without the specs, naming the missing files', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'qlik-oem-no-specs-'));
    try {
      const { code, err } = await exitOf(['--port=0', `--specs=${dir}`]);
      expect(code).toBe(1);
      expect(err).toContain(`Cannot start the simulator: The spec directory ${dir}`);
      expect(err).toContain('users.json is missing');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
