// QlikPageLimitError: pagination stopped at its page limit while the server had more.
import { QlikError } from './base.js';

/** `paginate()` reached `maxPages` while the server still had more pages. */
export class QlikPageLimitError extends QlikError {
  override name = 'QlikPageLimitError';
  readonly maxPages: number;
  constructor(maxPages: number) {
    super(`Stopped after ${maxPages} pages (maxPages) while more pages were available`, undefined, 'page-limit');
    this.maxPages = maxPages;
  }
}
