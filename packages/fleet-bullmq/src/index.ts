// Qlik OEM fleets across many worker processes: BullMQ for the work, Redis for one shared rate-limit budget.
export {
  createRedisRateLimiter,
  type RateLimitGrant,
  type RedisRateLimiter,
  type RedisRateLimiterOptions,
  type RedisScripting,
} from './redis-rate-limiter.js';
