import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isQlikValidationError } from '@qlik-oem/core';
import { findConnectionReferences, rewriteConnection } from '../src/index.js';

describe('rewriteConnection', () => {
  it('rewrites every quoting style and keeps the quoting', () => {
    const script = [
      "LIB CONNECT TO 'Old';",
      'lib connect to "Old";',
      'LIB CONNECT TO [Old];',
      "LIB  CONNECT\n  TO 'Space:Old';",
      'LIB CONNECT TO Old;',
    ].join('\n');
    expect(rewriteConnection(script, { to: "New's [x]" })).toBe(
      [
        "LIB CONNECT TO 'New''s [x]';",
        'lib connect to "New\'s [x]";',
        "LIB CONNECT TO [New's [x]]];",
        "LIB  CONNECT\n  TO 'New''s [x]';",
        "LIB CONNECT TO 'New''s [x]';",
      ].join('\n'),
    );
  });

  it('only rewrites the connection named in `from` (case-insensitive), including space-qualified names', () => {
    const script = "LIB CONNECT TO 'Dev:Sales';\nLOAD * FROM x;\nLIB CONNECT TO 'Other';\nLIB CONNECT TO [dev:sales];";
    expect(rewriteConnection(script, { from: 'Dev:Sales', to: 'Prod:Sales 42' })).toBe(
      "LIB CONNECT TO 'Prod:Sales 42';\nLOAD * FROM x;\nLIB CONNECT TO 'Other';\nLIB CONNECT TO [Prod:Sales 42];",
    );
  });

  it('leaves comments, REM statements and strings alone', () => {
    const script = [
      "// LIB CONNECT TO 'Old';",
      "/* LIB CONNECT TO 'Old'; */",
      "REM LIB CONNECT TO 'Old';",
      "LET v = 'LIB CONNECT TO Old';",
      "LIB CONNECT TO 'Old'; // trailing LIB CONNECT TO 'Old'",
    ].join('\n');
    expect(rewriteConnection(script, { to: 'New' })).toBe(
      script.replace("LIB CONNECT TO 'Old'; //", "LIB CONNECT TO 'New'; //"),
    );
  });

  it('reports the references it finds', () => {
    expect(findConnectionReferences("LIB CONNECT TO 'Space:My ''conn''';")).toEqual([
      { kind: 'lib-connect', name: "Space:My 'conn'", space: 'Space', quote: 'single', start: 15, end: 34 },
    ]);
  });

  it('rewrites quoted lib:// paths only when asked', () => {
    const script =
      "LIB CONNECT TO 'Old';\nLOAD * FROM [lib://Old/sales.qvd] (qvd);\nSTORE t INTO 'lib://Old/out.qvd';\nLOAD * FROM [lib://Other/x.qvd];";
    expect(rewriteConnection(script, { from: 'old', to: "Cust's ]db" })).toBe(
      script.replace("'Old';", "'Cust''s ]db';"),
    );
    expect(rewriteConnection(script, { from: 'old', to: "Cust's ]db", libPaths: true })).toBe(
      "LIB CONNECT TO 'Cust''s ]db';\nLOAD * FROM [lib://Cust's ]]db/sales.qvd] (qvd);\nSTORE t INTO 'lib://Cust''s ]db/out.qvd';\nLOAD * FROM [lib://Other/x.qvd];",
    );
    expect(() => rewriteConnection(script, { to: 'a/b', libPaths: true })).toThrow(/must not contain \//);
  });

  it('rejects bad input with a typed error', () => {
    expect(() => rewriteConnection('x', { to: '' })).toThrow(expect.objectContaining({ name: 'QlikValidationError' }));
    let caught: unknown;
    try {
      rewriteConnection('x', { to: 'a\nb' });
    } catch (error) {
      caught = error;
    }
    expect(isQlikValidationError(caught)).toBe(true);
  });
});

// ---- property-based: generated scripts ----

type Quote = 'single' | 'double' | 'bracket';
// Any printable character but `/` (it ends the name in a lib:// path), weighted towards quotes and brackets.
const nameChars = fc.oneof(
  fc.constantFrom(...'abcXYZ 09_-.\'"[]'.split('')),
  fc.constantFrom(...'!#$%&()*+,;<=>?@^{|}~`:\\é'.split('')),
);
const connectionName = fc.string({ unit: nameChars, minLength: 1, maxLength: 12 }).filter((name) => name.trim() !== '');
const quote = fc.constantFrom<Quote>('single', 'double', 'bracket');

function quoted(name: string, style: Quote): string {
  if (style === 'single') return `'${name.replaceAll("'", "''")}'`;
  if (style === 'double') return `"${name.replaceAll('"', '""')}"`;
  return `[${name.replaceAll(']', ']]')}]`;
}

/** A piece of script, and the same piece with every live LIB CONNECT pointed at `to`. */
type Piece =
  | { kind: 'connect'; name: string; quote: Quote; keyword: string }
  | { kind: 'path'; name: string; quote: Quote }
  | { kind: 'other'; text: string };
const keyword = fc.constantFrom('LIB CONNECT TO ', 'lib connect to ', 'Lib  Connect\tTo ', 'LIB\nCONNECT TO\n');
const commentText = fc.string({
  unit: fc.constantFrom(..."LIB CONNECT TO 'x' ab;/[]\"lib://".split('')),
  maxLength: 30,
});
const otherPiece = fc.oneof(
  commentText.map((text) => `// ${text.replaceAll('\n', ' ')}\n`),
  commentText.map((text) => `/* ${text.replaceAll('*/', '')} */`),
  commentText.map((text) => `REM ${text.replaceAll(';', ',')};\n`),
  connectionName.map((name) => `LET vName = ${quoted(`LIB CONNECT TO ${name}`, 'single')};\n`),
  fc.constant('LOAD * FROM [lib://DataFiles/sales.qvd] (qvd);\n'),
  fc.constant('\n'),
);
const piece: fc.Arbitrary<Piece> = fc.oneof(
  fc.record({ kind: fc.constant('connect' as const), name: connectionName, quote, keyword }),
  fc.record({ kind: fc.constant('path' as const), name: connectionName, quote }),
  otherPiece.map((text) => ({ kind: 'other' as const, text })),
);

/** A `lib://` path quoted as a whole, the name escaped for that quoting. */
function pathLiteral(name: string, style: Quote): string {
  const path = `lib://${name}/sub dir/file.qvd`;
  return quoted(path, style);
}

function render(
  pieces: Piece[],
  rename: (name: string) => string,
  renamePath: (name: string) => string = (name) => name,
): string {
  return pieces
    .map((p) => {
      if (p.kind === 'connect') return `${p.keyword}${quoted(rename(p.name), p.quote)};\n`;
      if (p.kind === 'path') return `LOAD * FROM ${pathLiteral(renamePath(p.name), p.quote)} (qvd);\n`;
      return p.text;
    })
    .join('');
}

describe('rewriteConnection (properties)', () => {
  it('changes exactly the connection names and nothing else', () => {
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 12 }), connectionName, (pieces, to) => {
        const script = render(pieces, (name) => name);
        expect(rewriteConnection(script, { to })).toBe(render(pieces, () => to));
      }),
      { numRuns: 300 },
    );
  });

  it('with `from`, renames only that connection', () => {
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 12 }), connectionName, connectionName, (pieces, from, to) => {
        const script = render(pieces, (name) => name);
        const expected = render(pieces, (name) => (name.toLowerCase() === from.toLowerCase() ? to : name));
        expect(rewriteConnection(script, { from, to })).toBe(expected);
      }),
      { numRuns: 300 },
    );
  });

  it('with `libPaths`, renames the connection of lib:// paths too', () => {
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 12 }), connectionName, connectionName, (pieces, from, to) => {
        const script = render(pieces, (name) => name);
        const rename = (name: string) => (name.toLowerCase() === from.toLowerCase() ? to : name);
        expect(rewriteConnection(script, { from, to, libPaths: true })).toBe(render(pieces, rename, rename));
      }),
      { numRuns: 300 },
    );
  });

  it('is idempotent and finds every live statement', () => {
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 12 }), connectionName, (pieces, to) => {
        const script = render(pieces, (name) => name);
        const once = rewriteConnection(script, { to });
        expect(rewriteConnection(once, { to })).toBe(once);
        const live = pieces.filter((p) => p.kind === 'connect');
        const found = findConnectionReferences(script).filter((reference) => reference.kind === 'lib-connect');
        expect(found.map((reference) => reference.name)).toEqual(live.map((p) => (p.kind === 'connect' ? p.name : '')));
        const paths = pieces.filter((p) => p.kind === 'path').map((p) => p.name);
        const foundPaths = findConnectionReferences(script).filter(
          (reference) => reference.kind === 'lib-path' && reference.name !== 'DataFiles',
        );
        expect(foundPaths.map((reference) => reference.name)).toEqual(paths);
      }),
      { numRuns: 300 },
    );
  });
});
