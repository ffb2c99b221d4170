import { isQlikAuthError, isQlikPermissionError, isQlikValidationError, QlikValidationError } from '@qlik-oem/core';
import { serializeError, type Customer } from '@qlik-oem/recipes';
import { customerIdSchema, customerSchema, formatPath, parseInput, spaceNameProblems } from '@qlik-oem/recipes/schemas';
import Fastify, { type FastifyInstance, type FastifyReply } from 'fastify';
import { customerStateOf } from './customer-state.js';
import { createLineStream } from './line-stream.js';
import { createEmbedSession } from './embed-session.js';
import { registerImpersonationRoute } from './impersonation-route.js';
import { registerSummaryRoute } from './summary-route.js';
import { signedInUserFor } from './signed-in-user.js';
import { operatorPage } from './pages/operator-page.js';
import { productPage } from './pages/product-page.js';
import { resolveBrokerOptions, type BrokerConfig, type BrokerOptions } from './options.js';
import { progressLine, resultLine } from './progress-lines.js';
import { isInvalidOutcome, isLockedOutcome, provisionCustomer, type ProvisionOutcome } from './provision.js';

export type { BrokerOptions } from './options.js';

/**
 * The partner's broker: a Fastify app with
 * - `POST /customers`: onboard + hydrate (+ customize) one customer, streaming NDJSON progress and a final result line;
 * - `GET /customers/:id`: the customer's state from its journal;
 * - `POST /customers/:id/impersonation-token`: an OAuth access token that acts as the signed-in end user, and
 *   what `qlik-embed` needs (OAuth impersonation, qlik.dev's recommended path);
 * - `POST /customers/:id/embed-session`: a JWT and what `qlik-embed` needs, for the signed-in end user (the legacy
 *   JWT path);
 * - `GET /customers/:id/users/:subject/summary`: the numbers the signed-in end user may see in the customer's app,
 *   computed by the engine as that user (section access applies);
 * - with `masterData`: `GET /` (operator page: provision customers, live progress), `GET /app` (product page:
 *   demo sign-in, the user's analytics), `GET /partner/customers` and `GET /partner/users`.
 *
 * Options are validated first (`QlikValidationError`). Closing the app aborts runs in flight (they resume from
 * the journal on the next `POST`) and waits for them to end.
 */
export function buildBroker(options: BrokerOptions): FastifyInstance {
  const config = resolveBrokerOptions(options);
  const app = Fastify({ logger: options.logger ?? false, bodyLimit: 64 * 1024 });
  const shutdown = new AbortController();
  /** Customers this broker is provisioning right now (other processes are kept out by the journal's lock). */
  const inFlight = new Map<string, Promise<ProvisionOutcome>>();

  // preClose runs before Fastify waits for open responses, which end only when their runs do.
  app.addHook('preClose', async () => {
    shutdown.abort(new Error('the broker is shutting down'));
    await Promise.allSettled(inFlight.values());
  });

  app.setErrorHandler((error, request, reply) => {
    if (isQlikValidationError(error)) return sendError(reply, 400, 'invalid-request', error.message, error.issues);
    const status = (error as { statusCode?: unknown }).statusCode;
    if (typeof status === 'number' && status >= 400 && status < 500)
      return sendError(reply, status, 'bad-request', (error as Error).message);
    request.log.error({ err: serializeError(error) }, 'request failed');
    return sendError(reply, 500, 'internal', 'The broker could not handle the request');
  });

  app.post('/customers', async (request, reply) => {
    const customer = parseCustomer(config, request.body);
    const id = customer.customerId;
    if (inFlight.has(id)) return sendLocked(reply, id);

    // Lines are buffered until the response starts: its status (200, or 409 when another process holds the
    // customer's lock) is known only at the first step or at the end.
    const lines = createLineStream();
    let markStarted!: () => void;
    const started = new Promise<'started'>((resolve) => (markStarted = () => resolve('started')));
    const run = provisionCustomer(config, customer, {
      signal: shutdown.signal,
      onEvent: (event) => {
        const line = progressLine(event, new Date());
        if (!line) return;
        markStarted();
        lines.write(line);
      },
    });
    inFlight.set(id, run);
    // A client that disconnects does not stop the run: it ends, is journaled, and GET shows how.
    void run.finally(() => inFlight.delete(id));
    void run.then((outcome) => lines.end(resultLine(id, outcome)));

    const first = await Promise.race([started, run.then(() => 'finished' as const)]);
    if (first === 'finished') {
      const outcome = await run;
      if (isLockedOutcome(outcome)) {
        lines.discard();
        return sendLocked(reply, id);
      }
      if (isInvalidOutcome(outcome)) {
        lines.discard();
        const error = outcome.error as QlikValidationError;
        return sendError(reply, 400, 'invalid-request', error.message, error.issues);
      }
    }
    return reply
      .code(200)
      .header('content-type', 'application/x-ndjson; charset=utf-8')
      .header('cache-control', 'no-store')
      .send(lines.body);
  });

  app.get<{ Params: { id: string } }>('/customers/:id', async (request, reply) => {
    const id = parseCustomerId(request.params.id);
    const state = customerStateOf(id, await config.journal.read(id), inFlight.has(id));
    if (!state)
      return sendError(
        reply,
        404,
        'unknown-customer',
        `No journal for customer "${id}": it was never provisioned by this broker`,
      );
    return reply.header('cache-control', 'no-store').send(state);
  });

  app.post<{ Params: { id: string }; Querystring: { check?: string } }>(
    '/customers/:id/embed-session',
    async (request, reply) => {
      const id = parseCustomerId(request.params.id);
      const signedIn = signedInUserFor(config, request, id);
      if ('refusal' in signedIn) {
        const { status, code, message } = signedIn.refusal;
        return sendError(reply, status, code, message);
      }
      const { user } = signedIn;

      const state = customerStateOf(id, await config.journal.read(id), inFlight.has(id));
      if (!state?.tenantHost || !state.jwtIdpId) {
        return sendError(
          reply,
          409,
          'not-provisioned',
          `Customer "${id}" has no tenant with the partner's JWT identity provider yet: POST /customers first`,
        );
      }
      const check = request.query.check === 'true' || request.query.check === '1';
      try {
        const session = await createEmbedSession(
          config,
          { tenantHost: state.tenantHost, webIntegrationId: state.webIntegrationId, appId: state.publishedAppId },
          user,
          { check, signal: shutdown.signal },
        );
        return reply.header('cache-control', 'no-store').send(session);
      } catch (error) {
        // Only the check talks to the tenant; anything it runs into means the browser's exchange would fail too.
        if (check || isQlikAuthError(error) || isQlikPermissionError(error)) {
          return sendError(
            reply,
            502,
            'session-check-failed',
            `The tenant ${state.tenantHost} refused the partner's JWT: ${serializeError(error).message}`,
          );
        }
        throw error;
      }
    },
  );

  const routeContext = {
    isRunning: (id: string) => inFlight.has(id),
    signal: shutdown.signal,
    parseCustomerId,
    sendError,
  };
  registerImpersonationRoute(app, config, routeContext);
  registerSummaryRoute(app, config, routeContext);

  // The partner's own pages (operator and product), served when the broker has the partner's master data.
  const masterData = config.masterData;
  if (masterData) {
    app.get('/', async (_request, reply) => reply.type('text/html; charset=utf-8').send(operatorPage()));
    app.get('/app', async (_request, reply) => reply.type('text/html; charset=utf-8').send(productPage()));
    app.get('/partner/customers', async (_request, reply) => {
      const rows = await Promise.all(
        masterData.customers.map(async (customer) => {
          const state = customerStateOf(
            customer.customerId,
            await config.journal.read(customer.customerId),
            inFlight.has(customer.customerId),
          );
          return {
            customerId: customer.customerId,
            name: customer.name,
            alias: customer.alias,
            allowContributors: customer.allowContributors,
            tenantHost: state?.tenantHost ?? null,
            state: state?.runs[0]?.status ?? 'not provisioned',
          };
        }),
      );
      return reply.header('cache-control', 'no-store').send(rows);
    });
    app.get('/partner/users', async (_request, reply) =>
      reply.send(
        masterData.customers.flatMap((customer) =>
          customer.users.map((user) => ({ ...user, customerId: customer.customerId, customerName: customer.name })),
        ),
      ),
    );
  }

  return app;
}

/** The customer body, checked against the partner's space-name templates too; throws `QlikValidationError` (400). */
function parseCustomer(config: BrokerConfig, body: unknown): Customer {
  const customer = parseInput(customerSchema, body, { label: 'customer' });
  const problems = spaceNameProblems(customer, config.partner);
  if (problems.length > 0) throw new QlikValidationError('Invalid customer', problems);
  return customer;
}

function parseCustomerId(id: string): string {
  return parseInput(customerIdSchema, id, { label: 'customer id', path: ['id'] });
}

function sendLocked(reply: FastifyReply, id: string) {
  return sendError(
    reply,
    409,
    'customer-busy',
    `Customer "${id}" is being provisioned by another request; GET /customers/${id} shows its progress`,
  );
}

function sendError(
  reply: FastifyReply,
  status: number,
  code: string,
  message: string,
  issues?: readonly { path: ReadonlyArray<string | number>; message: string }[],
) {
  const details = issues?.map((issue) => ({ path: formatPath(issue.path), message: issue.message }));
  return reply
    .code(status)
    .header('cache-control', 'no-store')
    .send({ error: { code, message, ...(details ? { issues: details } : {}) } });
}
