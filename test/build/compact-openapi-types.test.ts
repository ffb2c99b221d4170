// The codegens' compaction of openapi-typescript's JSDoc (scripts/compact-openapi-types.mjs): what a hover shows
// is kept, what the type already says is dropped.
import { describe, expect, it } from 'vitest';
import { compactJsDocText } from '../../scripts/compact-openapi-types.mjs';

describe('compactJsDocText', () => {
  it('puts the description first, untagged, with its format, on one line', () => {
    expect(compactJsDocText('*\n * Format: uid\n * @description The unique identifier for the space.\n ')).toBe(
      '* The unique identifier for the space. (Format: uid) ',
    );
    expect(compactJsDocText('* @description Maximum number of spaces to return. ')).toBe(
      '* Maximum number of spaces to return. ',
    );
  });

  it('drops @enum and @constant (the type says them) and nothing else', () => {
    expect(compactJsDocText('*\n * @description The type of space.\n * @enum {string}\n ')).toBe(
      '* The type of space. ',
    );
    expect(compactJsDocText('* @enum {string} ')).toBeUndefined();
    expect(compactJsDocText('*\n * @description Subject type.\n * @default user\n * @example P7D\n ')).toBe(
      '*\n * Subject type.\n * @default user\n * @example P7D\n ',
    );
  });

  it('keeps a multi-line description, drops a multi-line (JSON) example', () => {
    const text =
      '*\n * @description First line.\n *     - a list item\n * @example {\n *       "name": "x"\n *     }\n ';
    expect(compactJsDocText(text)).toBe('*\n * First line.\n * - a list item\n ');
  });
});
