import { isQlikAuthError, isQlikPermissionError } from '@qlik-oem/core';
import { serializeError } from '@qlik-oem/recipes';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { customerStateOf, type CustomerState } from './customer-state.js';
import { createImpersonationToken, type ImpersonationTarget } from './impersonation.js';
import type { BrokerConfig } from './options.js';
import { signedInUserFor, type Refusal } from './signed-in-user.js';

/** What the route shares with the rest of the broker. */
export interface ImpersonationRouteContext {
  isRunning(customerId: string): boolean;
  signal: AbortSignal;
  parseCustomerId(id: string): string;
  sendError(reply: FastifyReply, status: number, code: string, message: string): FastifyReply;
}

/** Where a customer's end users are impersonated, from its journal state: undefined until the tenant has its client. */
export function impersonationTargetOf(state: CustomerState | undefined): ImpersonationTarget | undefined {
  if (!state?.tenantHost || !state.impersonationClientId) return undefined;
  return {
    tenantHost: state.tenantHost,
    clientId: state.impersonationClientId,
    webIntegrationId: state.webIntegrationId,
    appId: state.publishedAppId,
  };
}

/** The 401/403 a route answers when the request may not act for the customer's end user. */
export function sendRefusal(context: ImpersonationRouteContext, reply: FastifyReply, refusal: Refusal): FastifyReply {
  return context.sendError(reply, refusal.status, refusal.code, refusal.message);
}

/** The 502 a route answers when the tenant refuses to act as the user (the token is never in the answer). */
export function sendTenantRefused(
  context: ImpersonationRouteContext,
  reply: FastifyReply,
  tenantHost: string,
  error: unknown,
): FastifyReply {
  return context.sendError(
    reply,
    502,
    'impersonation-failed',
    `The tenant ${tenantHost} refused to act as the user: ${serializeError(error).message}`,
  );
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
      if ('refusal' in signedIn) return sendRefusal(context, reply, signedIn.refusal);
      const state = customerStateOf(id, await config.journal.read(id), context.isRunning(id));
      const target = impersonationTargetOf(state);
      if (!target || !state?.jwtIdpId)
        return context.sendError(
          reply,
          409,
          'not-provisioned',
          `Customer "${id}" has no tenant with an impersonation client yet: POST /customers first`,
        );
      const check = request.query.check === 'true' || request.query.check === '1';
      try {
        const token = await createImpersonationToken(config, target, signedIn.user, {
          check,
          signal: context.signal,
        });
        return reply.header('cache-control', 'no-store').send(token);
      } catch (error) {
        if (check || isQlikAuthError(error) || isQlikPermissionError(error))
          return sendTenantRefused(context, reply, target.tenantHost, error);
        throw error;
      }
    },
  );
}
