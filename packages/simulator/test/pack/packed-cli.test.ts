// The npm package on its own: packed, installed into an empty folder outside the repository, started
// with `npx qlik-oem-sim` and no environment variable, it validates traffic against the specs it ships.
import { execFile, spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CURL_TOKEN_FORM } from '../helpers.js';

const run = promisify(execFile);
const packageDir = fileURLToPath(new URL('../..', import.meta.url));
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
// Only what npm needs to run; nothing that points at the repository or its specs.
const env: NodeJS.ProcessEnv = {
  PATH: process.env.PATH,
  HOME: process.env.HOME,
  npm_config_cache: process.env.npm_config_cache ?? join(process.env.HOME ?? tmpdir(), '.npm'),
  npm_config_fund: 'false',
  npm_config_audit: 'false',
  npm_config_update_notifier: 'false',
  NO_UPDATE_NOTIFIER: '1',
};

let work: string;
let project: string;
let child: ChildProcessWithoutNullStreams | undefined;

beforeAll(async () => {
  if (!existsSync(join(packageDir, 'dist', 'cli.js')) || !existsSync(join(packageDir, 'specs', 'qlik-cloud')))
    throw new Error('@qlik-oem/simulator is not built: run `npm run build -w @qlik-oem/simulator` first');
  work = mkdtempSync(join(tmpdir(), 'qlik-oem-sim-pack-'));
  const { stdout } = await run(npm, ['pack', '--json', '--pack-destination', work], { cwd: packageDir, env });
  const [packed] = JSON.parse(stdout) as Array<{ filename: string }>;
  project = join(work, 'project');
  await run('mkdir', [project]);
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'empty', version: '1.0.0', private: true }));
  await run(
    npm,
    ['install', '--prefer-offline', '--no-package-lock', '--loglevel=error', join(work, packed?.filename ?? '')],
    { cwd: project, env, timeout: 170_000 },
  );
}, 180_000);

afterAll(() => {
  if (child && child.exitCode === null) child.kill('SIGKILL');
  if (work) rmSync(work, { recursive: true, force: true });
});

async function curl(port: number, args: string[]): Promise<{ status: number; body: any }> {
  const { stdout } = await run('curl', ['-sS', '--connect-to', `::127.0.0.1:${port}`, '-w', '\n%{http_code}', ...args]);
  const cut = stdout.lastIndexOf('\n');
  return { status: Number(stdout.slice(cut + 1)), body: JSON.parse(stdout.slice(0, cut)) };
}

describe('the packed simulator', () => {
  it('starts with npx qlik-oem-sim in an empty project and answers spec-validated requests', async () => {
    child = spawn('npx', ['--no-install', 'qlik-oem-sim', '--port=0', '--no-latency'], {
      cwd: project,
      env,
      stdio: 'pipe',
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    const deadline = Date.now() + 20_000;
    while (!/Try:/.test(out)) {
      if (child.exitCode !== null) throw new Error(`qlik-oem-sim exited early: ${out}`);
      if (Date.now() > deadline) throw new Error(`qlik-oem-sim did not start: ${out}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    const port = Number(/127\.0\.0\.1:(\d+)/.exec(out)?.[1]);

    const token = await curl(port, [...CURL_TOKEN_FORM, 'http://source.eu.qlikcloud.com/oauth/token']);
    expect(token.status).toBe(200);
    const auth = ['-H', `Authorization: Bearer ${token.body.access_token}`];
    const users = await curl(port, [...auth, 'http://source.eu.qlikcloud.com/api/v1/users?limit=2']);
    expect(users.status).toBe(200);
    expect(Array.isArray(users.body.data)).toBe(true);
    // The same operation with a value its spec refuses: strict mode names the violated parameter.
    const refused = await curl(port, [...auth, 'http://source.eu.qlikcloud.com/api/v1/users?limit=many']);
    expect(refused.status).toBe(500);
    expect(refused.body.errors[0].code).toBe('SIM-SPEC-VIOLATION');
    expect(JSON.stringify(refused.body.violations)).toContain('/query/limit');
  }, 60_000);
});
