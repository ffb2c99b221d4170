// Live progress of an apply: on a TTY a redrawn block (totals, then each customer in flight and its step);
// otherwise one plain line per customer start/finish and per step failure.
import type { Logger } from '@qlik-oem/core';
import type { RecipeEvent } from '@qlik-oem/recipes';
import { createRateLimitBound, type RateLimitBound } from './rate-limit-bound.js';

export interface Progress {
  onEvent: (event: RecipeEvent) => void;
  /** Observes the transport's log records: retries, 429 waits, and the requests to shared buckets. */
  logger: Logger;
  /** Bounds the ETA by Qlik's rate limits on the hosts every customer shares. */
  boundByRateLimits(sharedHosts: readonly string[], timeScale: number): void;
  stop(): void;
}

interface Output {
  write(text: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

const MAX_ROWS = 8;

export function createProgress(total: number, out: Output, now: () => number = Date.now): Progress {
  const started = now();
  const tty = out.isTTY === true;
  const counts = { done: 0, provisioned: 0, unchanged: 0, failed: 0, aborted: 0, writes: 0, retries: 0, waits429: 0 };
  const inFlight = new Map<string, { step: string; since: number }>();
  let drawnLines = 0;
  let doneMs = 0;
  let peakInFlight = 1;
  let bound: RateLimitBound | undefined;
  const secs = (ms: number) => `${(ms / 1000).toFixed(1)}s`;

  // Customers left at the pace so far (mean time per customer over the most run at once), never below
  // what the rate limits still allow. Elapsed time per finished customer would overshoot while the
  // first wave is still in flight.
  const eta = (): string => {
    if (counts.done === total) return 'ETA 0.0s';
    const floor = bound?.remainingMs(counts.done + inFlight.size, total, now());
    const pace = counts.done > 0 ? ((doneMs / counts.done) * (total - counts.done)) / peakInFlight : undefined;
    if (pace === undefined && floor === undefined) return 'ETA -';
    const limit = floor === undefined || floor <= 0 ? '' : ` (rate limits: at least ${secs(floor)})`;
    return `ETA ${pace === undefined ? 'at least ' : ''}${secs(Math.max(pace ?? 0, floor ?? 0))}${limit}`;
  };
  const summary = () =>
    `${counts.done}/${total} done: ${counts.provisioned} provisioned, ${counts.unchanged} unchanged, ${counts.failed} failed | ${inFlight.size} in flight | ${counts.writes} writes, ${counts.retries} retries, ${counts.waits429} waits on 429 | ${secs(now() - started)} | ${eta()}`;
  const draw = () => {
    // A terminal that reports no width (0) gets 120 columns.
    const width = Math.max(40, (out.columns || 120) - 1);
    const rows = [...inFlight].slice(0, MAX_ROWS).map(([id, s]) => `  ${id}: ${s.step} (${secs(now() - s.since)})`);
    if (inFlight.size > MAX_ROWS) rows.push(`  ... and ${inFlight.size - MAX_ROWS} more`);
    const lines = [summary(), ...rows].map((l) => l.slice(0, width));
    out.write(`${drawnLines > 0 ? `\x1b[${drawnLines}F` : ''}\x1b[J${lines.join('\n')}\n`);
    drawnLines = lines.length;
  };
  const timer = tty ? setInterval(draw, 250) : undefined;
  timer?.unref();
  const line = (text: string) => {
    if (!tty) out.write(`${secs(now() - started)} ${text}\n`);
  };

  const noop = () => undefined;
  return {
    onEvent(event) {
      switch (event.type) {
        case 'customer:start':
          inFlight.set(event.customerId, { step: 'starting', since: now() });
          peakInFlight = Math.max(peakInFlight, inFlight.size);
          line(`start ${event.customerId}`);
          break;
        case 'step:start':
          inFlight.set(event.customerId, { step: event.step, since: now() });
          break;
        case 'step:done':
          counts.writes++;
          break;
        case 'step:retry':
          counts.retries++;
          break;
        case 'step:fail':
          line(`step failed ${event.customerId}/${event.step}: ${event.error.message}`);
          break;
        case 'customer:done':
          inFlight.delete(event.customerId);
          counts.done++;
          doneMs += event.durationMs;
          counts[event.status]++;
          line(`${event.status} ${event.customerId} (${secs(event.durationMs)}) [${counts.done}/${total}, ${eta()}]`);
          break;
        default:
          break;
      }
    },
    boundByRateLimits(sharedHosts, timeScale) {
      bound = createRateLimitBound(sharedHosts, timeScale);
    },
    logger: {
      debug(fields, msg) {
        if (msg === 'qlik request' && typeof fields['url'] === 'string')
          bound?.record(fields['url'], typeof fields['tier'] === 'string' ? fields['tier'] : undefined, now());
      },
      info: noop,
      warn(fields, msg) {
        if (msg === 'qlik request retry' && fields['status'] === 429) counts.waits429++;
      },
      error: noop,
    },
    stop() {
      if (timer) {
        clearInterval(timer);
        draw();
      } else out.write(`${summary()}\n`);
    },
  };
}
