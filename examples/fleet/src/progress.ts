import type { RecipeEvent } from '@qlik-oem/recipes';

export interface ProgressDisplay {
  onEvent: (event: RecipeEvent) => void;
  stop(): void;
}

interface Counts {
  done: number;
  provisioned: number;
  unchanged: number;
  failed: number;
  aborted: number;
  inFlight: number;
  writes: number;
  retries: number;
}

const BAR_WIDTH = 30;

/**
 * A live view of the run. On a TTY one summary line (with a bar) is redrawn a few times a second; in
 * a log (not a TTY) every customer start/finish and every step failure is one compact line.
 */
export function createProgressDisplay(
  total: number,
  stream: NodeJS.WriteStream = process.stdout,
  now: () => number = Date.now,
): ProgressDisplay {
  const counts: Counts = {
    done: 0,
    provisioned: 0,
    unchanged: 0,
    failed: 0,
    aborted: 0,
    inFlight: 0,
    writes: 0,
    retries: 0,
  };
  const started = now();
  const tty = stream.isTTY === true;
  const seconds = () => ((now() - started) / 1000).toFixed(1);

  const summary = () => {
    const filled = total === 0 ? BAR_WIDTH : Math.round((counts.done / total) * BAR_WIDTH);
    const bar = `${'#'.repeat(filled)}${'.'.repeat(BAR_WIDTH - filled)}`;
    return `[${bar}] ${counts.done}/${total} done (${counts.provisioned} provisioned, ${counts.unchanged} unchanged, ${counts.failed} failed) | ${counts.inFlight} in flight | ${counts.writes} writes, ${counts.retries} retries | ${seconds()}s`;
  };
  const redraw = () => stream.write(`\r\x1b[2K${summary()}`);
  const timer = tty ? setInterval(redraw, 200) : undefined;
  timer?.unref();

  return {
    onEvent(event) {
      switch (event.type) {
        case 'customer:start':
          counts.inFlight++;
          if (!tty) stream.write(`${seconds()}s start ${event.customerId}\n`);
          break;
        case 'customer:done':
          counts.inFlight--;
          counts.done++;
          counts[event.status]++;
          if (!tty)
            stream.write(
              `${seconds()}s ${event.status.padEnd(11)} ${event.customerId} (${(event.durationMs / 1000).toFixed(1)}s) [${counts.done}/${total}]\n`,
            );
          break;
        case 'step:done':
          counts.writes++;
          break;
        case 'step:retry':
          counts.retries++;
          break;
        case 'step:fail':
          if (!tty)
            stream.write(`${seconds()}s step failed ${event.customerId}/${event.step}: ${event.error.message}\n`);
          break;
        default:
          break;
      }
    },
    stop() {
      if (timer) {
        clearInterval(timer);
        redraw();
        stream.write('\n');
      } else stream.write(`${summary()}\n`);
    },
  };
}
