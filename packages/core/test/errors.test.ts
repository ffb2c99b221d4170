import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import {
  QlikError,
  QlikHttpError,
  createTransport,
  errorFromResponse,
  isQlikAuthError,
  isQlikPermissionError,
  isQlikConflictError,
  isQlikError,
  isQlikHttpError,
  isQlikNetworkError,
  isQlikNotFoundError,
  isQlikRateLimitError,
  redactHeaders,
  redactText,
  redactUrl,
} from '../src/index.js';
import { parseRetryAfter } from '../src/advanced.js';
import { createFakeTokenProvider, createRecordingClock, createRecordingLogger, scriptedFetch } from './helpers.js';

const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });

describe('errors', () => {
  it('builds the right kind from the status and parses the Qlik error body', async () => {
    const rate = await errorFromResponse(
      json(
        429,
        { errors: [{ code: 'HTTP-429', title: 'API rate limit reached.', detail: 'wait 13 seconds' }] },
        { 'retry-after': '13' },
      ),
    );
    expect(isQlikRateLimitError(rate)).toBe(true);
    expect(rate).toMatchObject({
      status: 429,
      code: 'HTTP-429',
      title: 'API rate limit reached.',
      retryAfterMs: 13_000,
    });

    expect(isQlikAuthError(await errorFromResponse(json(401, {})))).toBe(true);
    const forbidden = await errorFromResponse(json(403, {}));
    expect(isQlikPermissionError(forbidden)).toBe(true);
    expect(isQlikAuthError(forbidden)).toBe(false);
    expect(forbidden).toMatchObject({ name: 'QlikPermissionError', kind: 'permission', status: 403 });
    expect(isQlikNotFoundError(await errorFromResponse(json(404, {})))).toBe(true);
    const conflict = await errorFromResponse(
      json(409, { errors: [{ code: 'AssignmentConflict', title: 'Conflict' }], traceId: 'tr-1' }),
    );
    expect(isQlikConflictError(conflict)).toBe(true);
    expect(conflict).toMatchObject({ code: 'AssignmentConflict', traceId: 'tr-1' });

    const topLevel = QlikHttpError.fromResponse(new Response(null, { status: 400 }), {
      code: 'SPC-1',
      title: 'Bad name',
      detail: 'too long',
    });
    expect(topLevel).toMatchObject({ status: 400, code: 'SPC-1', title: 'Bad name', detail: 'too long' });
    expect(isQlikHttpError(topLevel) && !isQlikRateLimitError(topLevel)).toBe(true);

    const notJson = await errorFromResponse(
      new Response('<html>bad gateway</html>', { status: 502, statusText: 'Bad Gateway' }),
    );
    expect(notJson.message).toContain('502 Bad Gateway');
  });

  it('names the request when the response came through the transport', async () => {
    const fetch = scriptedFetch(() => json(404, { errors: [{ code: 'NOT_FOUND', title: 'Not found' }] }));
    const response = await createTransport({ fetch, pacing: false })('https://acme.eu.qlikcloud.com/api/v1/spaces/s1', {
      method: 'DELETE',
    });
    const error = await errorFromResponse(response);
    expect(error).toMatchObject({ method: 'DELETE', url: 'https://acme.eu.qlikcloud.com/api/v1/spaces/s1' });
    expect(error.message).toBe(
      'DELETE https://acme.eu.qlikcloud.com/api/v1/spaces/s1 failed with 404 Not found (NOT_FOUND)',
    );
  });

  it('guards work across duplicate copies of the package (brand, not instanceof)', () => {
    const foreign = Object.assign(new Error('x'), { [Symbol.for('@qlik-oem/core/error')]: 'rate-limit' });
    expect(isQlikError(foreign)).toBe(true);
    expect(isQlikHttpError(foreign)).toBe(true);
    expect(isQlikRateLimitError(foreign)).toBe(true);
    expect(isQlikError(new Error('plain'))).toBe(false);
    expect(isQlikError(new QlikError('mine'))).toBe(true);
    expect(isQlikError(null)).toBe(false);
  });

  it('parses Retry-After forms', () => {
    expect(parseRetryAfter('13')).toBe(13_000);
    expect(parseRetryAfter('Wed, 21 Oct 2015 07:28:10 GMT', Date.parse('Wed, 21 Oct 2015 07:28:00 GMT'))).toBe(10_000);
    expect(parseRetryAfter('Wed, 21 Oct 2015 07:28:10 GMT', Date.parse('Wed, 21 Oct 2015 08:00:00 GMT'))).toBe(0);
    expect(parseRetryAfter('soon')).toBeUndefined();
    expect(parseRetryAfter(null)).toBeUndefined();
  });
});

describe('redaction', () => {
  it('redacts secret query values and user info', () => {
    expect(
      redactUrl('https://u:p@h.example.com/oauth?client_secret=s&access_token=t&limit=10&code=c&apikey=k&next=abc'),
    ).toBe(
      'https://h.example.com/oauth?client_secret=[REDACTED]&access_token=[REDACTED]&limit=10&code=[REDACTED]&apikey=[REDACTED]&next=abc',
    );
    expect(redactUrl('/api/v1/x?password=p&key=k&signature=s')).toBe(
      '/api/v1/x?password=[REDACTED]&key=[REDACTED]&signature=[REDACTED]',
    );
  });

  it('redacts credentials in free text', () => {
    const text = [
      'postgres://app:hunter2@db.example/sales',
      'host=db;password=hunter2;user=app',
      '{"clientSecret":"hunter2"}',
      "api_key: 'hunter2'",
      'Authorization: Bearer abc.def.ghi',
      '-----BEGIN PRIVATE KEY-----\nMIIhunter2\n-----END PRIVATE KEY-----',
    ].join('\n');
    const redacted = redactText(text);
    expect(redacted).not.toContain('hunter2');
    expect(redacted).not.toContain('abc.def');
    expect(redacted).toContain('postgres://app:[REDACTED]@db.example/sales');
    expect(redacted).toContain('user=app');
    expect(redactText('no secrets here: host=db;user=app')).toBe('no secrets here: host=db;user=app');
  });

  it('redacts every header outside the allow list', () => {
    const headers = new Headers({
      authorization: 'Bearer abc',
      cookie: 'sid=1',
      'x-custom-auth': 'zzz',
      'content-type': 'application/json',
    });
    expect(redactHeaders(headers)).toEqual({
      authorization: '[REDACTED]',
      cookie: '[REDACTED]',
      'x-custom-auth': '[REDACTED]',
      'content-type': 'application/json',
    });
  });

  it('nothing a failing request logs or throws contains a secret', async () => {
    const secrets = ['tok-s3cr3t', 'cs-s3cr3t-B', 'pw-s3cr3t-C', 'ck-s3cr3t-D', 'key-s3cr3t-E'];
    const auth = createFakeTokenProvider({ prefix: 'tok-s3cr3t' });
    const logger = createRecordingLogger();
    const url = 'https://acme.eu.qlikcloud.com/oauth/token?client_secret=cs-s3cr3t-B&apikey=key-s3cr3t-E';
    const init = {
      method: 'POST',
      body: JSON.stringify({ password: 'pw-s3cr3t-C' }),
      headers: { cookie: 'sid=ck-s3cr3t-D' },
    };

    const failing = scriptedFetch(
      () => json(503, { errors: [{ code: 'UNAVAILABLE', title: 'Try later' }] }),
      () => json(401, {}),
      () => json(401, {}),
    );
    const transport = createTransport({ fetch: failing, auth, logger, clock: createRecordingClock(), pacing: false });
    const response = await transport.with({ idempotent: true })(url, init);
    const httpError = await errorFromResponse(response);

    const reset = new TypeError('fetch failed', {
      cause: Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }),
    });
    const resetting = scriptedFetch(() => Promise.reject(reset));
    const networkError = await createTransport({
      fetch: resetting,
      auth,
      logger,
      clock: createRecordingClock(),
      pacing: false,
    })
      .with({ idempotent: true, retry: { maxAttempts: 2 } })(url, init)
      .then(
        () => new Error('expected a network error'),
        (e: unknown) => e as Error,
      );
    expect(isQlikNetworkError(networkError)).toBe(true);

    // A server that echoes request values (the password, the bearer token) back in its error texts.
    const echoing = scriptedFetch(() =>
      json(400, {
        errors: [
          {
            code: 'INVALID',
            title: 'Rejected Authorization: Bearer tok-s3cr3t-1',
            detail:
              'connectionString "host=db;user=app;password=pw-s3cr3t-C" and {"client_secret":"cs-s3cr3t-B"} refused',
          },
        ],
      }),
    );
    const echoResponse = await createTransport({
      fetch: echoing,
      auth,
      logger,
      clock: createRecordingClock(),
      pacing: false,
    })(url, init);
    const echoError = await errorFromResponse(echoResponse);
    expect(echoError.detail).toContain('password=[REDACTED]');

    // The request really did carry the secrets.
    expect(failing.requests[0]!.request.headers.get('authorization')).toBe('Bearer tok-s3cr3t-1');
    expect(failing.requests[0]!.body).toContain('pw-s3cr3t-C');
    expect(logger.entries.length).toBeGreaterThanOrEqual(4);

    const everything = [
      JSON.stringify(logger.entries),
      inspect(logger.entries, { depth: 10 }),
      ...[httpError, networkError, echoError].flatMap((e) => [
        JSON.stringify((e as QlikError).toJSON()),
        JSON.stringify((e as QlikHttpError).errors ?? []),
        e.message,
        e.stack ?? '',
        inspect(e, { depth: 10 }),
        JSON.stringify(e),
        String(e),
      ]),
    ].join('\n');
    for (const secret of secrets) expect(everything).not.toContain(secret);
    expect(everything).toContain('client_secret=[REDACTED]');
  });
});
