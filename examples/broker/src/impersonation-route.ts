import { isQlikAuthError, isQlikPermissionError } from '@qlik-oem/core';
import { serializeError } from '@qlik-oem/recipes';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { customerStateOf } from './customer-state.js';
import { createImpersonationToken } from './impersonation.js';
import type { BrokerConfig } from './options.js';
import { signedInUserFor } from './signed-in-user.js';

/** What the route shares with the rest of the broker. */
export interface ImpersonationRouteContext {
  isRunning(customerId: string): boolean;
  signal: AbortSignal;
  parseCustomerId(id: string): string;
  sendError(reply: FastifyReply, status: number, code: string, message: string): FastifyReply;
}

/**
 * `POST /customers/:id/impersonation-token[?check=true]`: an access token that acts as the signed-in end user on
 * the customer's tenant, for qlik-embed's `data-get-access-token`. 409 until the tenant has its impersonation
 * client; 502 when the tenant refuses (the token is never in the answer then).
 */
export function registerImpersonationRoute(
  app: FastifyInstance,
  config: BrokerConfig,
  context: ImpersonationRouteContext,
): void {
  app.post<{ Params: { id: string }; Querystring: { check?: string } }>(
    '/customers/:id/impersonation-token',
    async (request, reply) => {
      const id = context.parseCustomerId(request.params.id);
      const signedIn = signedInUserFor(config, request, id);
      if ('refusal' in signedIn) {
        const { status, code, message } = signedIn.refusal;
        return context.sendError(reply, status, code, message);
      }
      const state = customerStateOf(id, await config.journal.read(id), context.isRunning(id));
      if (!state?.tenantHost || !state.impersonationClientId || !state.jwtIdpId)
        return context.sendError(
          reply,
          409,
          'not-provisioned',
          `Customer "${id}" has no tenant with an impersonation client yet: POST /customers first`,
        );
      const check = request.query.check === 'true' || request.query.check === '1';
      try {
        const token = await createImpersonationToken(
          config,
          {
            tenantHost: state.tenantHost,
            clientId: state.impersonationClientId,
            webIntegrationId: state.webIntegrationId,
            appId: state.publishedAppId,
          },
          signedIn.user,
          { check, signal: context.signal },
        );
        return reply.header('cache-control', 'no-store').send(token);
      } catch (error) {
        if (check || isQlikAuthError(error) || isQlikPermissionError(error))
          return context.sendError(
            reply,
            502,
            'impersonation-failed',
            `The tenant ${state.tenantHost} refused to impersonate the user: ${serializeError(error).message}`,
          );
        throw error;
      }
    },
  );
}
