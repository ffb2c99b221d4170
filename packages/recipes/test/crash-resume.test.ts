import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFileJournalStore } from '../src/index.js';
import { replayJournal } from '../src/journal/replay.js';
import { FileResourceStore } from './helpers/fake-store.js';

const fixtures = fileURLToPath(new URL('./fixtures/', import.meta.url));
const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const CUSTOMERS = 3;
const KILLS = 5;

// Deterministic "random" kill points, so a failure can be reproduced from the seed in the message.
function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface KillPlan {
  /** Kill after this many writes were reported by the child... */
  afterWrites: number;
  /** ...plus this many milliseconds. */
  delayMs: number;
  /** Make the child stop right after that write, so the kill lands before its journal entry. */
  hang: boolean;
}

/** Starts the child; resolves with its stdout once it exits, killing it with SIGKILL as planned. */
function runChild(workDir: string, kill?: KillPlan): Promise<{ stdout: string; signal: NodeJS.Signals | null }> {
  return new Promise((resolve, reject) => {
    // node itself with tsx as a loader (not the tsx CLI, which would run the script in a grandchild
    // that survives the SIGKILL).
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        join(fixtures, 'crash-child.ts'),
        workDir,
        String(CUSTOMERS),
        String(kill?.hang ? kill.afterWrites : 0),
      ],
      {
        cwd: repoRoot,
        env: { ...process.env, TSX_TSCONFIG_PATH: join(fixtures, 'tsconfig.json') },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stdout = '';
    let stderr = '';
    let scheduled = false;
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const writes = stdout.split('\n').filter((line) => line === 'write').length;
      if (kill && !scheduled && writes >= kill.afterWrites) {
        scheduled = true;
        setTimeout(() => child.kill('SIGKILL'), kill.delayMs);
      }
    });
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (signal === null && code !== 0) reject(new Error(`child exited with ${code}: ${stderr}`));
      else resolve({ stdout, signal });
    });
  });
}

const summaryOf = (stdout: string) =>
  JSON.parse(stdout.split('\n').find((line) => line.startsWith('{'))!) as {
    counts: Record<string, number>;
    reconciled: number;
  };

describe('crash and resume in a real process', () => {
  let workDir: string;
  beforeAll(async () => {
    workDir = await mkdtemp(join(tmpdir(), 'recipes-crash-'));
  });
  afterAll(async () => {
    await rm(workDir, { recursive: true, force: true });
  });

  it('ends with exactly one of each resource after repeated SIGKILLs and a resume', async () => {
    const seed = Number(process.env.RECIPES_CRASH_SEED ?? 1);
    const random = mulberry32(seed);
    const context = `seed ${seed} (rerun with RECIPES_CRASH_SEED=${seed})`;
    const journal = createFileJournalStore({ directory: join(workDir, 'journal') });
    const customerIds = Array.from({ length: CUSTOMERS }, (_, n) => `c${n}`);
    const steps = ['tenant', 'settings', 'space', 'groups'];

    // Each killed run gets a little further: it is killed after 1-4 writes (the recipe makes 15 in all).
    // Every other run is held right after its write, so the kill certainly lands between a create and
    // its journal entry; the others are killed at a random moment up to 15 ms later.
    let killed = 0;
    let killedWithPendingIntent = 0;
    for (let kill = 0; kill < KILLS; kill++) {
      const plan = {
        afterWrites: 1 + Math.floor(random() * 4),
        delayMs: Math.floor(random() * 15),
        hang: kill % 2 === 0,
      };
      const { signal } = await runChild(workDir, plan);
      if (signal !== 'SIGKILL') continue;
      killed++;
      const replays = await Promise.all(
        customerIds.map(async (id) => replayJournal(await journal.read(id), 'sampleOnboard')),
      );
      if (replays.some((replay) => steps.some((step) => replay.step(step).pendingIntent))) killedWithPendingIntent++;
    }
    expect(killed, context).toBeGreaterThanOrEqual(3);
    expect(killedWithPendingIntent, context).toBeGreaterThanOrEqual(1);

    const { stdout, signal } = await runChild(workDir);
    expect(signal).toBeNull();
    const summary = summaryOf(stdout);
    expect(summary.counts.failed, context).toBe(0);
    expect(summary.counts.aborted, context).toBe(0);

    const store = new FileResourceStore(join(workDir, 'resources.jsonl'));
    const tenants = await store.list('tenant');
    const spaces = await store.list('space');
    const groups = await store.list('group');
    expect(tenants.map((t) => t.name).sort(), context).toEqual(['tenant-0', 'tenant-1', 'tenant-2']);
    expect(spaces.map((s) => s.name).sort(), context).toEqual(['Space 0', 'Space 1', 'Space 2']);
    expect(groups, context).toHaveLength(CUSTOMERS * 2);
    for (const tenant of tenants) {
      expect(
        spaces.filter((s) => s.parentId === tenant.id),
        context,
      ).toHaveLength(1);
      expect(
        groups
          .filter((g) => g.parentId === tenant.id)
          .map((g) => g.name)
          .sort(),
        context,
      ).toEqual(['admins', 'users']);
      expect(tenant.props.autoCreateGroups, context).toBe(true);
    }

    // And once converged, another run writes nothing at all.
    const before = (await store.list('tenant')).length + spaces.length + groups.length;
    const again = summaryOf((await runChild(workDir)).stdout);
    expect(again.counts.unchanged).toBe(CUSTOMERS);
    const after =
      (await store.list('tenant')).length + (await store.list('space')).length + (await store.list('group')).length;
    expect(after).toBe(before);
  }, 30_000);
});
