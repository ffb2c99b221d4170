import { isQlikAuthError, isQlikPermissionError } from '@qlik-oem/core';
import type { FastifyInstance } from 'fastify';
import { customerStateOf } from './customer-state.js';
import {
  impersonationTargetOf,
  sendRefusal,
  sendTenantRefused,
  type ImpersonationRouteContext,
} from './impersonation-route.js';
import type { BrokerConfig } from './options.js';
import { signedInUserFor } from './signed-in-user.js';
import { isAccessDenied, summaryFor } from './summary.js';

/**
 * `GET /customers/:id/users/:subject/summary`: the orders and amounts per region that the signed-in end user
 * `subject` may see in the customer's app, computed by the engine as that user (section access applies). A user may
 * ask only for themself: 401 without a user, 403 for another user or another customer's user, 403
 * `section-access-denied` when the app's section access does not list them, 409 until the app is published.
 */
export function registerSummaryRoute(
  app: FastifyInstance,
  config: BrokerConfig,
  context: ImpersonationRouteContext,
): void {
  app.get<{ Params: { id: string; subject: string } }>(
    '/customers/:id/users/:subject/summary',
    async (request, reply) => {
      const id = context.parseCustomerId(request.params.id);
      const signedIn = signedInUserFor(config, request, id);
      if ('refusal' in signedIn) return sendRefusal(context, reply, signedIn.refusal);
      if (signedIn.user.id !== request.params.subject)
        return context.sendError(reply, 403, 'other-user', 'The signed-in user may read only their own summary');
      const target = impersonationTargetOf(customerStateOf(id, await config.journal.read(id), context.isRunning(id)));
      if (!target?.appId)
        return context.sendError(
          reply,
          409,
          'not-provisioned',
          `Customer "${id}" has no published app with an impersonation client yet: POST /customers first`,
        );
      try {
        const summary = await summaryFor(config, { ...target, appId: target.appId }, signedIn.user, context.signal);
        return reply.header('cache-control', 'no-store').send(summary);
      } catch (error) {
        if (isAccessDenied(error))
          return context.sendError(
            reply,
            403,
            'section-access-denied',
            `The app's section access does not let "${signedIn.user.id}" see any data`,
          );
        if (isQlikAuthError(error) || isQlikPermissionError(error))
          return sendTenantRefused(context, reply, target.tenantHost, error);
        throw error;
      }
    },
  );
}
