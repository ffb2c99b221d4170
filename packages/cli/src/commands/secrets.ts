// `qlik-oem secrets rotate`: a new impersonation client secret per customer, saved before the old ones are deleted.
import { findImpersonationClientId, rotateImpersonationClientSecret, type JournalEntry } from '@qlik-oem/recipes';
import { loadFleet, printJson, type Command } from '../command.js';
import { configPath } from '../config.js';
import { errorText } from '../error-text.js';
import { CliUsageError, EXIT } from '../exit-codes.js';
import { onlyFlag, onlyOf, selectCustomers } from '../fleet-flags.js';
import { readSecretFile, writeSecretFile } from '../impersonation-secrets.js';
import { journalOf, openTarget } from '../target.js';

/** The tenant host the customer's last onboarding recorded, from the journal. */
function tenantHostOf(entries: readonly JournalEntry[]): string | undefined {
  for (const entry of [...entries].reverse())
    if (entry.type === 'step:done' && entry.step === 'tenantName') {
      const host = (entry.outputs as { tenantHost?: unknown } | null)?.tenantHost;
      if (typeof host === 'string') return host;
    }
  return undefined;
}

interface Rotated {
  customerId: string;
  tenantHost: string;
  clientId: string;
  secretFile: string;
  /** How many old secrets of the client were deleted (after the new one was saved). */
  deletedSecrets: number;
}

export const secretsRotateCommand: Command = {
  name: 'secrets rotate',
  summary:
    "Give customers' impersonation clients a new secret: saved to the secrets directory first, then the old ones deleted.",
  flags: {
    only: onlyFlag('these customers (or --all)'),
    all: { type: 'boolean', description: 'every customer of the fleet that has a tenant' },
  },
  async run(invocation) {
    const { io, values } = invocation;
    const only = onlyOf(values);
    if (!only && !values['all']) throw new CliUsageError('secrets rotate needs --only <id,...> or --all');
    if (only && values['all']) throw new CliUsageError('secrets rotate takes --only or --all, not both');
    const fleet = loadFleet(invocation);
    const clientName = fleet.config.impersonationClient?.name;
    if (!clientName)
      throw new CliUsageError(`${fleet.config.file}: no impersonationClient, so no customer has a client to rotate`);
    const customers = selectCustomers(fleet.customers, only);
    const { journal } = journalOf(fleet.config, fleet.context, fleet.contextName, io.cwd);
    const target = openTarget(fleet.config, fleet.context, fleet.contextName, io.cwd);
    const directory = configPath(fleet.config, fleet.config.secrets);
    const rotated: Rotated[] = [];
    const failed: Array<{ customerId: string; error: string }> = [];
    for (const { customerId } of customers) {
      const tenantHost = tenantHostOf(await journal.read(customerId));
      if (!tenantHost) {
        // --all rotates the customers that have a tenant; one named with --only must have one.
        if (only) failed.push({ customerId, error: 'no tenant in the journal: run `qlik-oem apply` first' });
        continue;
      }
      try {
        const signal = io.signal ?? new AbortController().signal;
        const clientId = await findImpersonationClientId(target.env, { tenantHost, clientName }, { signal });
        if (!clientId) {
          failed.push({
            customerId,
            error: `no OAuth client "${clientName}" on ${tenantHost}: run \`qlik-oem apply\` first`,
          });
          continue;
        }
        const saved = await readSecretFile(directory, customerId);
        let secretFile = '';
        const result = await rotateImpersonationClientSecret(
          target.env,
          {
            customerId,
            tenantHost,
            clientId,
            // The secret the file holds now stays until the new one is saved.
            ...(saved?.clientId === clientId && saved.hint ? { keepHint: saved.hint } : {}),
          },
          {
            signal,
            store: async (secret) => {
              secretFile = await writeSecretFile(directory, secret).catch((error: unknown) => {
                throw new Error(`the new secret could not be saved (${errorText(error)}); the old secrets are kept`);
              });
            },
          },
        );
        rotated.push({ customerId, tenantHost, clientId, secretFile, deletedSecrets: result.deletedHints.length });
        if (!values['json'])
          io.stdout.write(
            `${customerId}: new impersonation client secret in ${secretFile} (${result.deletedHints.length} old deleted)\n`,
          );
      } catch (error) {
        failed.push({ customerId, error: errorText(error) });
      }
    }
    if (values['json']) printJson(io, { rotated, failed });
    else {
      for (const f of failed) io.stderr.write(`${f.customerId}: not rotated: ${f.error}\n`);
      io.stdout.write(`${rotated.length} rotated, ${failed.length} failed.\n`);
    }
    return failed.length > 0 ? EXIT.failed : EXIT.ok;
  },
};
