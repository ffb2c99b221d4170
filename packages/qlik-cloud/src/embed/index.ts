export {
  signUserJwt,
  JWT_SESSION_AUDIENCE,
  MAX_JWT_LIFETIME_SECONDS,
  type SignUserJwtOptions,
  type UserJwtAlgorithm,
} from './sign-user-jwt.js';
export { createJwtSession, type CreateJwtSessionOptions, type JwtSession, type SessionCookie } from './jwt-session.js';
