import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { createFileJournalStore } from '../src/index.js';
import { replayJournal } from '../src/journal/replay.js';
import { seededRandom } from '@qlik-oem/simulator';
import { FileResourceStore } from './helpers/fake-store.js';
import { firstJsonLine, linesEqual, runTsxChildToEnd } from './helpers/child-process.js';

const fixtures = fileURLToPath(new URL('./fixtures/', import.meta.url));
const CUSTOMERS = 3;
const KILLS = 5;

interface KillPlan {
  /** Kill after this many writes were reported by the child... */
  afterWrites: number;
  /** ...plus this many milliseconds. */
  delayMs: number;
  /** Make the child stop right after that write, so the kill lands before its journal entry. */
  hang: boolean;
}

/** Starts the child; resolves with its stdout once it exits, killing it with SIGKILL as planned. */
async function runChild(workDir: string, kill?: KillPlan): Promise<{ stdout: string; signal: NodeJS.Signals | null }> {
  let scheduled = false;
  const { stdout, signal } = await runTsxChildToEnd({
    script: join(fixtures, 'crash-child.ts'),
    args: [workDir, String(CUSTOMERS), String(kill?.hang ? kill.afterWrites : 0)],
    tsconfig: join(fixtures, 'tsconfig.json'),
    onStdout: (out, child) => {
      if (kill && !scheduled && linesEqual(out, 'write') >= kill.afterWrites) {
        scheduled = true;
        setTimeout(() => child.kill('SIGKILL'), kill.delayMs);
      }
    },
  });
  return { stdout, signal };
}

const summaryOf = (stdout: string) => firstJsonLine<{ counts: Record<string, number>; reconciled: number }>(stdout)!;

describe('crash and resume in a real process', () => {
  let workDir: string;
  beforeAll(async () => {
    workDir = await mkdtemp(join(tmpdir(), 'recipes-crash-'));
    return () => rm(workDir, { recursive: true, force: true });
  });

  it('ends with exactly one of each resource after repeated SIGKILLs and a resume', async () => {
    const seed = Number(process.env.RECIPES_CRASH_SEED ?? 1);
    // Deterministic "random" kill points, so a failure can be reproduced from the seed in the message.
    const random = seededRandom(seed);
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
