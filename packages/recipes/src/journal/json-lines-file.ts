import { dirname } from 'node:path';
import { replaceFileDurably, syncDirectory } from './durable-file.js';
import { fsPromises } from './node-builtins.js';

/**
 * Append-only JSON-lines file that survives a kill at any instant.
 *
 * Each record is one line, written with a single `write` and then `fsync`ed. A kill can leave at most
 * one torn (partial) last line; readers skip lines that do not parse, and the first append after
 * opening terminates a torn line with a newline so the next record never gets glued onto it.
 */
export class JsonLinesFile {
  readonly #path: string;
  #checkedTail = false;
  #dirSynced = false;
  // Appends from one process are serialised so lines never interleave.
  #queue: Promise<void> = Promise.resolve();

  constructor(path: string) {
    this.#path = path;
  }

  get path(): string {
    return this.#path;
  }

  append(record: unknown): Promise<void> {
    const line = `${JSON.stringify(record)}\n`;
    const next = this.#queue.then(() => this.#write(line));
    // Keep the queue alive after a failed write; the caller still sees the rejection.
    this.#queue = next.catch(() => undefined);
    return next;
  }

  /**
   * Replaces the file's records with `change(records)` (skipped when it returns `undefined`), queued
   * behind pending appends. The new file is written and synced under a temporary name and renamed over
   * the old one, so a kill leaves either the old file or the new one, never a mix.
   */
  rewrite(change: (records: unknown[]) => unknown[] | undefined): Promise<void> {
    const next = this.#queue.then(async () => {
      const records = change(await this.readAll());
      if (records === undefined) return;
      await replaceFileDurably(this.#path, records.map((record) => `${JSON.stringify(record)}\n`).join(''));
      this.#checkedTail = true;
    });
    this.#queue = next.catch(() => undefined);
    return next;
  }

  async readAll(): Promise<unknown[]> {
    const { readFile } = await fsPromises();
    let text: string;
    try {
      text = await readFile(this.#path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
    return parseJsonLines(text);
  }

  async #write(line: string): Promise<void> {
    const { mkdir, open } = await fsPromises();
    await mkdir(dirname(this.#path), { recursive: true });
    const handle = await open(this.#path, 'a+');
    try {
      let prefix = '';
      if (!this.#checkedTail) {
        const { size } = await handle.stat();
        if (size > 0) {
          const last = Buffer.alloc(1);
          await handle.read(last, 0, 1, size - 1);
          if (last[0] !== 0x0a) prefix = '\n';
        }
        this.#checkedTail = true;
      }
      await handle.write(prefix + line);
      await handle.sync();
    } finally {
      await handle.close();
    }
    if (!this.#dirSynced) {
      // A new file is only durable once its directory entry is, too.
      await syncDirectory(dirname(this.#path));
      this.#dirSynced = true;
    }
  }
}

/** Parses JSON lines, skipping blank and torn (unparseable) lines. */
export function parseJsonLines(text: string): unknown[] {
  const records: unknown[] = [];
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    try {
      records.push(JSON.parse(line));
    } catch {
      // A torn write from a killed process: the record never completed, so it never happened.
    }
  }
  return records;
}
