import type { AccessToken, TokenProvider } from './auth.js';
import type { Clock } from './clock.js';
import { raceAbort } from './signals.js';

/** The transport's cached token and the refresh in flight, shared by all its `with()` children. */
export interface TokenState {
  clock: Clock;
  skewMs: number;
  token: { token: string; refreshAt: number } | undefined;
  tokenPending: Promise<AccessToken> | undefined;
}

function refreshToken(state: TokenState, auth: TokenProvider, force: boolean): Promise<AccessToken> {
  return (async () => {
    let token = await auth.getToken(force ? { forceRefresh: true } : {});
    // The provider's own cache may hand out a token that is about to expire.
    if (!force && token.expiresAt !== undefined && state.clock.now() >= token.expiresAt - state.skewMs) {
      token = await auth.getToken({ forceRefresh: true });
    }
    const now = state.clock.now();
    // Tokens that live shorter than the skew are kept for half their lifetime, not refreshed per request.
    const refreshAt =
      token.expiresAt === undefined
        ? Infinity
        : token.expiresAt - Math.min(state.skewMs, Math.max(0, (token.expiresAt - now) / 2));
    state.token = { token: token.token, refreshAt };
    return token;
  })().finally(() => {
    state.tokenPending = undefined;
  });
}

/**
 * A token valid for at least `skewMs` more, one refresh in flight at a time. `rejected` is a token
 * the server just answered 401 to: it is never handed out again, even by a refresh that was
 * already running when the 401 came.
 */
export async function currentToken(
  state: TokenState,
  auth: TokenProvider,
  signal: AbortSignal | undefined,
  rejected: string | undefined,
): Promise<string> {
  const cached = state.token;
  if (cached && cached.token !== rejected && state.clock.now() < cached.refreshAt) return cached.token;
  let token = '';
  for (let round = 0; round < 2; round++) {
    state.tokenPending ??= refreshToken(state, auth, rejected !== undefined);
    token = (await raceAbort(state.tokenPending, signal)).token;
    if (token !== rejected) break;
  }
  return token;
}
