// The scriptConnection step of hydrateFromTemplate: point the app's script at the customer's connection (QIX).
import { unwrap, type QlikCloud } from '@qlik-oem/qlik-cloud';
import type { StepDefinition } from '../../step.js';
import type { HydrateEnvironment, HydrateFromTemplateParsedInput } from './input.js';

/** The engine package (enigma.js, ws) is loaded by the one step that opens an app, not at import time. */
const loadEngine = () => import('@qlik-oem/engine');

export function scriptConnectionStep(
  env: HydrateEnvironment,
  tenant: (host: string) => QlikCloud,
): StepDefinition<
  'scriptConnection',
  HydrateFromTemplateParsedInput,
  { importApp: { sharedAppId: string }; dataConnection: { connectionName: string } },
  { scriptConnection: string },
  { to: string }
> {
  return {
    name: 'scriptConnection',
    async inspect(ctx) {
      const { sharedAppId } = ctx.outputs.importApp;
      const { connectionName } = ctx.outputs.dataConnection;
      const to = await scriptConnectionName(tenant(ctx.input.tenantHost), ctx.input, connectionName, ctx.signal);
      const { getScript, rewriteConnection, withApp } = await loadEngine();
      const script = await withApp(engineOptions(env, ctx.input.tenantHost, ctx.signal), sharedAppId, (doc) =>
        getScript(doc),
      );
      const rewritten = rewriteConnection(script, rewriteOptions(ctx.input, to));
      if (rewritten === script)
        return { action: 'none', reason: `no connection left to point at ${to}`, outputs: { scriptConnection: to } };
      return { action: 'update', reason: `the script does not connect to ${to} yet`, current: { to } };
    },
    async apply(ctx, inspection) {
      const { sharedAppId } = ctx.outputs.importApp;
      const to = inspection.action === 'update' ? inspection.current.to : '';
      const { getScript, rewriteConnection, save, setScript, withApp } = await loadEngine();
      await withApp(engineOptions(env, ctx.input.tenantHost, ctx.signal), sharedAppId, async (doc) => {
        const before = await getScript(doc);
        const after = rewriteConnection(before, rewriteOptions(ctx.input, to));
        if (after === before) return;
        await setScript(doc, after);
        await save(doc);
      });
      return { scriptConnection: to };
    },
  };
}

async function scriptConnectionName(
  qc: QlikCloud,
  input: HydrateFromTemplateParsedInput,
  connectionName: string,
  signal: AbortSignal,
): Promise<string> {
  if (!input.scriptConnection.qualifyWithSpace) return connectionName;
  const space = unwrap(
    await qc.spaces.GET('/api/v1/spaces/{spaceId}', { params: { path: { spaceId: input.sharedSpaceId } }, signal }),
  );
  return `${space.name}:${connectionName}`;
}

function rewriteOptions(input: HydrateFromTemplateParsedInput, to: string) {
  return {
    to,
    libPaths: input.scriptConnection.libPaths,
    ...(input.scriptConnection.from !== undefined ? { from: input.scriptConnection.from } : {}),
  };
}

function engineOptions(env: HydrateEnvironment, host: string, signal: AbortSignal) {
  return { ...env.engine.options(host), signal };
}
