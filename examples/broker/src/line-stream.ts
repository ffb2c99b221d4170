import { PassThrough } from 'node:stream';

/** An NDJSON body: lines written before the response starts are buffered; writes after a disconnect are dropped. */
export interface LineStream {
  readonly body: PassThrough;
  write(line: unknown): void;
  end(line: unknown): void;
  /** The response will not use it (e.g. it became a 409). */
  discard(): void;
}

export function createLineStream(): LineStream {
  const body = new PassThrough();
  // A client that went away destroys the body; the run goes on and is journaled.
  body.on('error', () => undefined);
  const open = () => !body.destroyed && !body.writableEnded;
  return {
    body,
    write(line) {
      if (open()) body.write(`${JSON.stringify(line)}\n`);
    },
    end(line) {
      if (open()) body.end(`${JSON.stringify(line)}\n`);
    },
    discard() {
      body.destroy();
    },
  };
}
