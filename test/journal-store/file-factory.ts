// Opens the file journal store in a contract child process: `config.directory` is shared with the parent.
import { createFileJournalStore, type LeaseOptions } from '@qlik-oem/recipes';

export function openStore(config: { directory: string }, options: LeaseOptions) {
  return createFileJournalStore({ directory: config.directory, ...options });
}
