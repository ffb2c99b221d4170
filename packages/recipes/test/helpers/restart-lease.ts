// Lease settings for test children that are SIGKILLed and restarted: the killed child's leases run out in 1 s, and the restarted child waits for them.
export const RESTART_LEASE = { leaseMs: 1_000, waitMs: 5_000 };
