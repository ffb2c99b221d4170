import type { FastifyRequest } from 'fastify';
import { DEMO_USER_HEADER, demoUserOf, type DemoUser } from './demo-user.js';
import type { BrokerConfig } from './options.js';

/** Why a request may not act for a customer's end user: the answer to send. */
export interface Refusal {
  status: 401 | 403;
  code: string;
  message: string;
}

/**
 * The signed-in end user of customer `customerId`, or why the request is refused: nobody signed in, a user of
 * another customer, or groups that are not the partner's (the tenant would take them as they come).
 */
export function signedInUserFor(
  config: BrokerConfig,
  request: FastifyRequest,
  customerId: string,
): { user: DemoUser } | { refusal: Refusal } {
  const user = demoUserOf(request.headers[DEMO_USER_HEADER]);
  if (!user)
    return {
      refusal: {
        status: 401,
        code: 'not-signed-in',
        message: `No signed-in user (this example reads the user from the ${DEMO_USER_HEADER} header)`,
      },
    };
  if (user.customerId !== customerId)
    return {
      refusal: {
        status: 403,
        code: 'wrong-customer',
        message: `The signed-in user belongs to another customer than "${customerId}"`,
      },
    };
  const partnerGroups = new Set([
    config.partner.groups.consumers,
    config.partner.groups.contributors,
    ...config.partner.groups.additional,
  ]);
  const foreign = user.groups.filter((group) => !partnerGroups.has(group));
  if (foreign.length > 0)
    return {
      refusal: {
        status: 403,
        code: 'unknown-groups',
        message: `The user's groups must be the partner's groups; not: ${foreign.join(', ')}`,
      },
    };
  return { user };
}
