// Qlik OEM fleets across many worker processes: BullMQ for the work, Redis for one shared rate-limit budget.
export {
  createRedisRateLimiter,
  type RateLimitGrant,
  type RedisRateLimiter,
  type RedisRateLimiterOptions,
  type RedisScripting,
} from './redis-rate-limiter.js';
export {
  enqueueFleet,
  FLEET_JOB_NAME,
  type EnqueuedFleet,
  type EnqueueFleetOptions,
  type FleetCustomer,
  type FleetJobData,
} from './enqueue-fleet.js';
export { fleetJobId } from './job-id.js';
export {
  startFleetWorker,
  type FleetJobProgress,
  type FleetJobResult,
  type FleetWorker,
  type FleetWorkerOptions,
} from './start-fleet-worker.js';
export { watchFleet, type FleetSummary, type WatchFleetOptions } from './watch-fleet.js';
