/** Seeded fault injection: the same seed and the same request sequence give the same faults. */
export type FaultKind = '429' | '500' | '503' | 'reset' | 'slow';

export interface FaultOptions {
  /** Probability (0..1) that a request gets a fault. */
  rate: number;
  /** Kinds to choose from, uniformly (default all). */
  kinds?: FaultKind[];
  /** Default: the simulator's seed. */
  seed?: number;
  /** Extra simulated latency of a 'slow' fault (default 5000 ms). */
  slowMs?: number;
  /** Also inject into POST /oauth/token (default false). */
  includeOAuth?: boolean;
}

const ALL_KINDS: FaultKind[] = ['429', '500', '503', 'reset', 'slow'];

/** mulberry32: small, fast, good enough for reproducible test noise. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export class FaultInjector {
  private readonly random: () => number;
  private readonly kinds: FaultKind[];
  /** Faults injected so far, in order, with the request they hit. */
  readonly log: Array<{ seq: number; request: string; kind: FaultKind }> = [];
  private seq = 0;

  constructor(
    readonly options: FaultOptions,
    defaultSeed: number,
  ) {
    if (!(options.rate >= 0 && options.rate <= 1))
      throw new RangeError(`faults.rate must be between 0 and 1, got ${options.rate}`);
    this.kinds = options.kinds && options.kinds.length > 0 ? options.kinds : ALL_KINDS;
    for (const k of this.kinds) if (!ALL_KINDS.includes(k)) throw new RangeError(`Unknown fault kind "${k}"`);
    this.random = seededRandom(options.seed ?? defaultSeed);
  }

  /** Draws for one request; two draws per request keep the sequence independent of the outcome. */
  next(request: string, isOAuth: boolean): FaultKind | undefined {
    const seq = this.seq++;
    const hit = this.random();
    const pick = this.random();
    if (isOAuth && !this.options.includeOAuth) return undefined;
    if (hit >= this.options.rate) return undefined;
    const kind = this.kinds[Math.floor(pick * this.kinds.length)] ?? '500';
    this.log.push({ seq, request, kind });
    return kind;
  }
}
