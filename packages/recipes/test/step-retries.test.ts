import { QlikWaitTimeoutError, createTransport, errorFromResponse, type FetchFunction } from '@qlik-oem/core';
import { describe, expect, it } from 'vitest';
import { applyRecipe, createMemoryJournalStore, type Recipe, type RecipeStepError } from '../src/index.js';
import { idRecipe } from './helpers/sample-recipe.js';

const URL_APPS = 'https://acme.eu.qlikcloud.com/api/v1/apps';

/** Answers every request with `status` and counts them by method. */
function failingFetch(status: number) {
  const counts: Record<string, number> = {};
  const fetch: FetchFunction = async (request) => {
    counts[request.method] = (counts[request.method] ?? 0) + 1;
    return new Response(null, { status });
  };
  return { fetch, counts };
}

/** A one-step recipe whose inspection GETs and whose apply POSTs through `transport`. */
function recipeOn(transport: ReturnType<typeof createTransport>) {
  const call = async (method: string) => {
    const response = await transport(URL_APPS, method === 'GET' ? {} : { method, body: '{}' });
    if (!response.ok) throw await errorFromResponse(response);
  };
  return idRecipe('one-app').step({
    name: 'app',
    async inspect() {
      await call('GET');
      return { action: 'create', reason: 'missing', marker: 'app' };
    },
    async apply() {
      await call('POST');
      return {};
    },
  });
}

const fast = { random: () => 0.5, baseDelayMs: 1 };

/** Runs `recipe` for customer c1 with a fresh journal and two step retries. */
const runC1 = <Outputs extends object>(recipe: Recipe<{ id: string }, Outputs, { id: string }>) =>
  applyRecipe(
    recipe,
    { id: 'c1' },
    { journal: createMemoryJournalStore(), retry: { retries: 2, baseDelayMs: 1, maxDelayMs: 2 } },
  );

/** `runC1`, for a run that must fail: the error it failed with. */
const failedRun = <Outputs extends object>(recipe: Recipe<{ id: string }, Outputs, { id: string }>) =>
  runC1(recipe).then(
    () => {
      throw new Error('the run succeeded; it was meant to fail');
    },
    (error: unknown) => error as RecipeStepError,
  );

describe('step retries on top of the transport', () => {
  it('one logical GET against a permanent 503 makes the transport attempts only, not attempts × step tries', async () => {
    const { fetch, counts } = failingFetch(503);
    const transport = createTransport({ fetch, pacing: false, retry: { ...fast, maxAttempts: 4 } });
    const error = await failedRun(recipeOn(transport));
    expect(error.name).toBe('RecipeStepError');
    expect(error.attempts).toBe(1);
    expect(counts).toEqual({ GET: 4 });
  });

  it("a POST's 503, which the transport may not re-send, is retried by the step (inspecting again first)", async () => {
    const counts: Record<string, number> = {};
    const fetch: FetchFunction = async (request) => {
      counts[request.method] = (counts[request.method] ?? 0) + 1;
      return new Response(null, { status: request.method === 'GET' ? 200 : 503 });
    };
    const transport = createTransport({ fetch, pacing: false, retry: fast });
    const error = await failedRun(recipeOn(transport));
    expect(error.attempts).toBe(3);
    expect(counts).toEqual({ GET: 3, POST: 3 });
  });

  it('a wait that timed out is not retried like a transport timeout', async () => {
    let inspections = 0;
    const recipe = idRecipe('wait').step({
      name: 'reload',
      async inspect() {
        inspections++;
        throw new QlikWaitTimeoutError('Reload r1 was still RELOADING after 1000 ms', { timeoutMs: 1000 });
      },
      async apply() {
        return {};
      },
    });
    const error = await failedRun(recipe);
    expect(error.attempts).toBe(1);
    expect(inspections).toBe(1);
  });

  it('a write that timed out is inspected again only after the server had as long again to finish it: one app, not two', async () => {
    // The server takes 150 ms to create the app and answers only after 400 ms; the client gives up at 100 ms.
    const apps: string[] = [];
    let posts = 0;
    const fetch: FetchFunction = async (request, init) => {
      if (request.method === 'GET') return Response.json({ data: apps });
      const id = `app-${++posts}`;
      // The server goes on with the work when the client gives up: the app exists 150 ms after the request.
      const work = new Promise((resolve) => setTimeout(resolve, 150)).then(() => apps.push(id));
      const signal = init?.signal ?? undefined;
      await new Promise<void>((resolve, reject) => {
        const gone = () => reject(signal!.reason as Error);
        if (signal?.aborted) return gone();
        void work.then(() => setTimeout(resolve, 250));
        signal?.addEventListener('abort', gone);
      });
      return Response.json({ id }, { status: 201 });
    };
    const transport = createTransport({ fetch, pacing: false, retry: fast, timeoutMs: 100 });
    let applied = 0;
    const recipe = idRecipe('one-app').step({
      name: 'app',
      async inspect() {
        const response = await transport(URL_APPS);
        const { data } = (await response.json()) as { data: string[] };
        return data.length > 0
          ? { action: 'none', reason: 'found', outputs: { appId: data[0]! } }
          : { action: 'create', reason: 'missing', marker: 'app' };
      },
      async apply() {
        applied++;
        const response = await transport(URL_APPS, { method: 'POST', body: '{}' });
        if (!response.ok) throw await errorFromResponse(response);
        return { appId: ((await response.json()) as { id: string }).id };
      },
    });
    // The step's backoff alone (at most 2 ms) would look again long before the server's 150 ms were up.
    const result = await runC1(recipe);
    expect(result.outputs).toEqual({ app: { appId: 'app-1' } });
    expect({ applied, posts, apps }).toEqual({ applied: 1, posts: 1, apps: ['app-1'] });
  });
});
