import type { QixReloadResult } from './types.js';

/** What `GetProgress(requestId)` reports about one reload; persistent lines are handed out once. */
export class ReloadProgress {
  readonly startedAt = Date.now();
  finished = false;
  errors: QixReloadResult['errors'] = [];
  #pending: string[] = [];

  log(...lines: string[]): void {
    this.#pending.push(...lines);
  }

  /** The `ProgressData` wire shape; drains the persistent lines reported since the previous call. */
  toProgressData(): Record<string, unknown> {
    const lines = this.#pending.splice(0);
    return {
      qStarted: true,
      qFinished: this.finished,
      qCompleted: 0,
      qTotal: 0,
      qKB: 0,
      qMillisecs: Date.now() - this.startedAt,
      qUserInteractionWanted: false,
      qPersistentProgress: lines.join('\n'),
      qTransientProgress: this.finished ? '' : 'Loading data',
      qErrorData: this.errors.map((error) => ({
        qErrorString: error.message,
        qLineEnd: '',
        qLine: error.statement ?? '',
        qErrorDataCode: 'EDC_ERROR',
        qMessage: { qMessageCode: 0, qMessageParameters: [] },
      })),
      qPersistentProgressMessages: [],
      qTransientProgressMessage: { qMessageCode: 0, qMessageParameters: [] },
    };
  }
}

export const EMPTY_PROGRESS = {
  qStarted: false,
  qFinished: false,
  qCompleted: 0,
  qTotal: 0,
  qKB: 0,
  qMillisecs: 0,
  qUserInteractionWanted: false,
  qPersistentProgress: '',
  qTransientProgress: '',
  qErrorData: [],
  qPersistentProgressMessages: [],
  qTransientProgressMessage: { qMessageCode: 0, qMessageParameters: [] },
};
