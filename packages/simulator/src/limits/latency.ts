/** Simulated response time per operation, in simulated ms (scaled by the clock's timeScale). */
export interface LatencyOptions {
  /** GET/HEAD (default 40). */
  readMs?: number;
  /** Other methods (default 120). */
  writeMs?: number;
  /** Per operation, keyed `"<METHOD> <path template>"`, e.g. `"POST /api/v1/tenants": 2000`. */
  operations?: Record<string, number>;
}

const DEFAULT_OPERATIONS: Record<string, number> = {
  'POST /api/v1/tenants': 2000,
  'POST /oauth/token': 80,
  'POST /api/v1/apps/import': 1500,
  'POST /api/v1/apps/{appId}/export': 800,
};

export class LatencyModel {
  constructor(private readonly options: LatencyOptions | false) {}

  latencyMs(method: string, pathTemplate: string): number {
    if (this.options === false) return 0;
    const key = `${method.toUpperCase()} ${pathTemplate}`;
    const override = this.options.operations?.[key] ?? DEFAULT_OPERATIONS[key];
    if (override !== undefined) return override;
    return method === 'GET' || method === 'HEAD' ? (this.options.readMs ?? 40) : (this.options.writeMs ?? 120);
  }
}
