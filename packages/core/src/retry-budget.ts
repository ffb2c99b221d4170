// RetryBudget: a token bucket every retry draws from, shared by a fleet so a storm of failures spends it instead of multiplying attempts.

export interface RetryBudgetOptions {
  /** Tokens when full (and at the start). Default 500. */
  capacity?: number;
  /** Tokens one retry after a 429, a 5xx or a connection failure costs. Default 5. */
  retryCost?: number;
  /** Tokens one retry after a timeout costs (timeouts are the costliest to repeat). Default 10. */
  timeoutCost?: number;
  /** Tokens a call that succeeded without retrying puts back. Default 1. */
  refill?: number;
}

export interface RetryBudgetStats {
  capacity: number;
  available: number;
  /** Retries paid for. */
  retries: number;
  /** Retries refused because the budget could not pay for them. */
  denied: number;
  /** Tokens spent on retries in total. */
  spent: number;
  /** Tokens put back by successes in total. */
  refilled: number;
}

/**
 * The retry quota of smithy's standard retry strategy: each retry spends tokens, a success refunds
 * what its last retry cost (or `refill` when it needed none), and an empty budget means no more
 * retries anywhere it is shared, until successes refill it.
 */
export interface RetryBudget {
  /** Pays for one retry; false (and no retry) when the budget cannot. */
  spend(reason: 'error' | 'timeout'): number | false;
  /** A call came back without a retryable failure; `lastCost` is what its last retry cost, if it retried. */
  succeeded(lastCost: number | undefined): void;
  stats(): RetryBudgetStats;
}

export function createRetryBudget(options: RetryBudgetOptions = {}): RetryBudget {
  const capacity = options.capacity ?? 500;
  const retryCost = options.retryCost ?? 5;
  const timeoutCost = options.timeoutCost ?? 10;
  const refill = options.refill ?? 1;
  for (const [name, value] of Object.entries({ capacity, retryCost, timeoutCost, refill })) {
    if (!(value >= 0) || !Number.isFinite(value))
      throw new RangeError(`retry budget ${name} must be a finite number >= 0`);
  }
  let available = capacity;
  let retries = 0;
  let denied = 0;
  let spent = 0;
  let refilled = 0;
  return {
    spend(reason) {
      const cost = reason === 'timeout' ? timeoutCost : retryCost;
      if (cost > available) {
        denied++;
        return false;
      }
      available -= cost;
      spent += cost;
      retries++;
      return cost;
    },
    succeeded(lastCost) {
      const amount = Math.min(lastCost ?? refill, capacity - available);
      available += amount;
      refilled += amount;
    },
    stats: () => ({ capacity, available, retries, denied, spent, refilled }),
  };
}
