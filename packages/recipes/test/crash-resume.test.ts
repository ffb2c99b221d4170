import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFileJournalStore } from '../src/index.js';
import { FileResourceStore } from './helpers/fake-store.js';

const fixtures = fileURLToPath(new URL('./fixtures/', import.meta.url));
const tsx = fileURLToPath(new URL('../../../node_modules/.bin/tsx', import.meta.url));
const CUSTOMERS = 3;
const KILLS = 6;

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

/** Starts the child; resolves with its stdout once it exits. `killAfterReadyMs` kills it with SIGKILL. */
function runChild(workDir: string, killAfterReadyMs?: number): Promise<{ stdout: string; signal: NodeJS.Signals | null }> {
  return new Promise((resolve, reject) => {
    const child = spawn(tsx, ['--tsconfig', join(fixtures, 'tsconfig.json'), join(fixtures, 'crash-child.ts'), workDir, String(CUSTOMERS)], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      if (killAfterReadyMs !== undefined && stdout.startsWith('ready\n') && !child.killed) {
        setTimeout(() => child.kill('SIGKILL'), killAfterReadyMs);
        killAfterReadyMs = undefined;
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

describe('crash and resume in a real process', () => {
  let workDir: string;
  beforeAll(async () => {
    workDir = await mkdtemp(join(tmpdir(), 'recipes-crash-'));
  });
  afterAll(async () => {
    await rm(workDir, { recursive: true, force: true });
  });

  it('ends with exactly one of each resource after repeated SIGKILLs and a resume', async () => {
    const seed = Number(process.env.RECIPES_CRASH_SEED ?? Date.now() % 100_000);
    const random = mulberry32(seed);
    const context = `seed ${seed} (rerun with RECIPES_CRASH_SEED=${seed})`;
    const journal = createFileJournalStore({ directory: join(workDir, 'journal') });

    let killedMidRun = 0;
    for (let kill = 0; kill < KILLS; kill++) {
      const delay = Math.floor(random() * 120);
      const { signal } = await runChild(workDir, delay);
      if (signal === 'SIGKILL') {
        // Did the kill land inside a run (a run:start without its run:done)?
        for (let n = 0; n < CUSTOMERS; n++) {
          const entries = await journal.read(`c${n}`);
          if (entries.at(-1)?.type !== 'run:done' && entries.length > 0) {
            killedMidRun++;
            break;
          }
        }
      }
    }
    expect(killedMidRun, `no kill landed mid-run; ${context}`).toBeGreaterThan(0);

    const { stdout, signal } = await runChild(workDir);
    expect(signal).toBeNull();
    const summary = JSON.parse(stdout.split('\n')[1]!) as { counts: Record<string, number> };
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
      expect(spaces.filter((s) => s.parentId === tenant.id), context).toHaveLength(1);
      expect(groups.filter((g) => g.parentId === tenant.id).map((g) => g.name).sort(), context).toEqual(['admins', 'users']);
      expect(tenant.props.autoCreateGroups, context).toBe(true);
    }

    // And once converged, another run writes nothing at all.
    const before = (await store.list('tenant')).length + spaces.length + groups.length;
    const again = JSON.parse((await runChild(workDir)).stdout.split('\n')[1]!) as { counts: Record<string, number> };
    expect(again.counts.unchanged).toBe(CUSTOMERS);
    const after = (await store.list('tenant')).length + (await store.list('space')).length + (await store.list('group')).length;
    expect(after).toBe(before);
  }, 30_000);
});
