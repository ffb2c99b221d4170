// The file and memory journal stores against the shared JournalStore contract.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createFileJournalStore, createMemoryJournalStore } from '../src/index.js';
import { journalStoreContract } from '../../../test/journal-store/contract.js';

const directory = mkdtempSync(join(tmpdir(), 'file-journal-contract-'));

journalStoreContract('file store', {
  open: (options) => createFileJournalStore({ directory, ...options }),
  processes: {
    factory: fileURLToPath(new URL('../../../test/journal-store/file-factory.ts', import.meta.url)),
    config: { directory },
  },
  coordination: 'process',
});

journalStoreContract('memory store', {
  open: (options) => createMemoryJournalStore(options),
  shared: false,
  coordination: 'process',
});
