import { seededRandom } from '../random.js';

/** Seeded fault injection: the same seed and the same request sequence give the same faults. */
export type FaultKind = '429' | '500' | '503' | 'reset' | 'slow' | LostAnswerKind;

/**
 * Faults after the handler ran: the server did the work (a tenant exists, an app was imported) and
 * the client never learns it. `lost-reset`: the connection drops instead of the answer; `lost-500`: a
 * 500 replaces it (a gateway failing on the way back); `lost-slow`: the answer comes `slowMs` late, so a
 * client with a shorter timeout gives up on a request that succeeded.
 */
export type LostAnswerKind = 'lost-reset' | 'lost-500' | 'lost-slow';

export interface FaultOptions {
  /** Probability (0..1) that a request gets a fault. */
  rate: number;
  /** Kinds to choose from, uniformly (default the five kinds injected before the handler; add LOST_ANSWER_KINDS for lost answers). */
  kinds?: FaultKind[];
  /** Default: the simulator's seed. */
  seed?: number;
  /** Extra simulated latency of a 'slow' fault (default 5000 ms). */
  slowMs?: number;
  /** Also inject into POST /oauth/token (default false). */
  includeOAuth?: boolean;
  /**
   * Only requests whose `<METHOD> <host><path>` matches get faults (others draw nothing, so the faults of
   * the matching requests depend on their own sequence only), e.g. `/^POST register\./` for tenant creates.
   */
  match?: RegExp;
}

const BEFORE_HANDLER_KINDS: FaultKind[] = ['429', '500', '503', 'reset', 'slow'];
export const LOST_ANSWER_KINDS: readonly LostAnswerKind[] = ['lost-reset', 'lost-500', 'lost-slow'];
const ALL_KINDS: FaultKind[] = [...BEFORE_HANDLER_KINDS, ...LOST_ANSWER_KINDS];

/** True for the kinds that let the handler run first. */
export const isLostAnswer = (kind: FaultKind | undefined): kind is LostAnswerKind =>
  kind !== undefined && (LOST_ANSWER_KINDS as readonly string[]).includes(kind);

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
    this.kinds = options.kinds && options.kinds.length > 0 ? options.kinds : BEFORE_HANDLER_KINDS;
    for (const k of this.kinds) if (!ALL_KINDS.includes(k)) throw new RangeError(`Unknown fault kind "${k}"`);
    this.random = seededRandom(options.seed ?? defaultSeed);
  }

  /** Draws for one request; two draws per request keep the sequence independent of the outcome. */
  next(request: string, isOAuth: boolean): FaultKind | undefined {
    if (this.options.match && !this.options.match.test(request)) return undefined;
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
