// Both binaries, run from the repository root as a partner would after `npm ci && npm run build`, share the
// conventions of the command line: one help layout, `--name value` and `--name=value`, 64 for bad flags.
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));

function run(bin: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile('npx', ['--no-install', bin, ...args], { cwd: root, timeout: 60_000 }, (error, stdout, stderr) =>
      resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

/** The parts of a help text that make its layout: headings, and the columns of the option lines. */
function layout(help: string) {
  const lines = help.split('\n');
  const options = lines.filter((l) => /^ {2}(-\w, | {4})--\w/.test(l));
  return {
    usage: lines[0]?.replace(/^Usage: (\S+).*/, 'Usage: <bin>'),
    summaryThenBlank: lines[1] === '' && (lines[2] ?? '').length > 0 && lines[3] === '',
    headings: lines.filter((l) => /^[A-Z][a-z ]+:$/.test(l)),
    helpLine: options.find((l) => l.includes('--help'))?.replace(/\s{2,}/g, ' | '),
    descriptionsAligned: new Set(options.map((l) => /^(.*?--\S+(?: <[^>]+>)?\s+)\S/.exec(l)?.[1]?.length)).size,
  };
}

describe('the qlik-oem and qlik-oem-sim command lines', () => {
  it('print their help in one layout', async () => {
    const sdk = await run('qlik-oem', ['--help']);
    const sim = await run('qlik-oem-sim', ['--help']);
    expect(sdk.code).toBe(0);
    expect(sim.code).toBe(0);
    const a = layout(sdk.stdout);
    const b = layout(sim.stdout);
    expect(b.usage).toBe(a.usage);
    expect(a.summaryThenBlank && b.summaryThenBlank).toBe(true);
    expect(b.helpLine).toBe(a.helpLine);
    expect(b.headings).toEqual(expect.arrayContaining(['Exit codes:']));
    expect(a.headings).toEqual(expect.arrayContaining(['Exit codes:']));
    expect(b.descriptionsAligned).toBe(1);
  });

  it('refuse an unknown flag with exit code 64 and a pointer to their help, in both spellings of a value', async () => {
    for (const [bin, args] of [
      ['qlik-oem', ['status', '--colour=always']],
      ['qlik-oem-sim', ['--colour', 'always']],
    ] as const) {
      const { code, stderr } = await run(bin, [...args]);
      expect(code).toBe(64);
      expect(stderr).toMatch(new RegExp(`Unknown option '--colour'.*See: ${bin}( status)? --help`, 's'));
    }
  });
});
