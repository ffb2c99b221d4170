import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCustomersCsv } from '../src/customers-csv.js';
import { runFleetJob } from '../src/job.js';
import { SettingsError, readSettings } from '../src/settings.js';

const partnerFile = fileURLToPath(new URL('../partner.sample.json', import.meta.url));

function capture() {
  const stream = new PassThrough() as PassThrough & { isTTY?: boolean };
  let text = '';
  stream.on('data', (chunk: Buffer) => (text += chunk.toString()));
  return { stream: stream as unknown as NodeJS.WriteStream, text: () => text };
}

describe('the fleet job against the embedded simulator', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'fleet-job-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('provisions the customers of a CSV, prints one line per customer event and a table, exits 0', async () => {
    const csv = join(dir, 'customers.csv');
    await writeFile(
      csv,
      'customerId,name,alias,allowContributors\na1,"Acme, Inc.",acme,true\nb2,Globex,globex,false\n',
    );
    const out = capture();
    const err = capture();
    const env = { SIM_TIME_SCALE: '200' };
    const settings = readSettings(env, { customersCsv: csv, partnerFile });
    const outcome = await runFleetJob(settings, { stdout: out.stream, stderr: err.stream, env });
    expect(err.text()).toBe('');
    expect(outcome.exitCode).toBe(0);
    expect(outcome.violations).toBe(0);
    expect(outcome.result!.counts.provisioned).toBe(2);
    const lines = out.text().split('\n');
    expect(lines.filter((line) => / provisioned +a1 /.test(line))).toHaveLength(1);
    expect(lines.find((line) => line.startsWith('a1 '))).toMatch(
      /^a1\s+provisioned\s+acme\.eu\.qlikcloud\.com\s+[0-9a-f-]{36}\s+\d+\.\ds$/,
    );
    expect(out.text()).toContain('2 provisioned, 0 unchanged, 0 failed, 0 aborted; template exported 1 time(s)');
  }, 30_000);

  it('exits 1 with a message naming the field when a customer is invalid, before starting', async () => {
    const csv = join(dir, 'bad.csv');
    await writeFile(csv, 'customerId,name,alias,allowContributors\na1,Acme,Not_A_Label,true\n');
    const out = capture();
    const err = capture();
    const env = { SIM_TIME_SCALE: '200' };
    const outcome = await runFleetJob(readSettings(env, { customersCsv: csv, partnerFile }), {
      stdout: out.stream,
      stderr: err.stream,
      env,
    });
    expect(outcome.exitCode).toBe(1);
    expect(err.text()).toContain('customers[0].alias: must be a DNS label');
    expect(outcome.result).toBeUndefined();
  }, 30_000);

  it('reads quoted CSV fields and rejects malformed rows with the line number', () => {
    expect(parseCustomersCsv('customerId,name,alias,allowContributors\nx,"A ""B"", C",ab,false\n')).toEqual([
      { customerId: 'x', name: 'A "B", C', alias: 'ab', allowContributors: false },
    ]);
    expect(() => parseCustomersCsv('customerId,name,alias,allowContributors\nx,y\n')).toThrow(
      'line 2: expected 4 fields, got 2',
    );
    expect(() => parseCustomersCsv('customerId,name,alias,allowContributors\nx,y,z,maybe\n')).toThrow(
      'line 2: allowContributors must be true or false',
    );
    expect(() => parseCustomersCsv('id,name\n')).toThrow('missing column "customerId"');
  });

  it('asks for the missing settings of a Qlik Cloud run', () => {
    expect(() => readSettings({ QLIK_CLIENT_ID: 'x' }, { customersCsv: 'c', partnerFile })).toThrow(
      'QLIK_REGION, QLIK_SOURCE_TENANT, QLIK_CLIENT_SECRET',
    );
  });

  it('refuses to fall back to the simulator when a real-mode variable is set without QLIK_CLIENT_ID', () => {
    const read = (env: Record<string, string>) => () => readSettings(env, { customersCsv: 'c', partnerFile });
    // A misspelled client id next to the other real-mode variables.
    const misspelled = { QLIK_CLIENTID: 'abc', QLIK_CLIENT_SECRET: 'hunter2', QLIK_REGION: 'eu' };
    expect(read(misspelled)).toThrow(SettingsError);
    expect(read(misspelled)).toThrow('QLIK_CLIENTID (did you mean QLIK_CLIENT_ID?)');
    expect(read({ QLIK_REGION: 'eu', QLIK_SOURCE_TENANT: 'p.eu.qlikcloud.com' })).toThrow(
      'QLIK_REGION, QLIK_SOURCE_TENANT set without QLIK_CLIENT_ID: refusing to fall back to the embedded simulator',
    );
    expect(() => read(misspelled)()).not.toThrow(/hunter2/);
    expect(read({ QLIK_JWT_ISSUER: 'https://broker.example' })().target.kind).toBe('simulator');
  });

  it('names a concurrency that is not a whole number instead of failing later', () => {
    for (const raw of ['abc', '0', '2.5', '-1']) {
      const read = () => readSettings({ FLEET_CONCURRENCY: raw }, { customersCsv: 'c', partnerFile });
      expect(read).toThrow(SettingsError);
      expect(read).toThrow(`FLEET_CONCURRENCY must be a whole number of at least 1, got "${raw}"`);
    }
    expect(readSettings({ FLEET_CONCURRENCY: '8' }, { customersCsv: 'c', partnerFile }).concurrency).toBe(8);
  });
});
