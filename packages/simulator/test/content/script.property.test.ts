import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { findConnectionReferences } from '../../src/content/script.js';

// Connection and space names as Qlik allows them in scripts: no quotes, brackets, colons, slashes or line breaks.
const name = fc
  .string({ minLength: 1, maxLength: 20 })
  .map((s) => s.replace(/['"[\]:;/\\\n\r*]/g, '').trim())
  .filter((s) => s.length > 0 && !/\s{2,}/.test(s) && !/^rem\b/i.test(s));

const form = fc.constantFrom('single', 'double', 'bracket');
const wrap = (target: string, how: string): string =>
  how === 'single' ? `'${target}'` : how === 'double' ? `"${target}"` : `[${target}]`;

describe('findConnectionReferences (properties)', () => {
  it('finds every LIB CONNECT in order, with its space, whatever the quoting', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ conn: name, space: fc.option(name, { nil: undefined }), how: form }), {
          minLength: 1,
          maxLength: 6,
        }),
        (refs) => {
          const script = refs
            .map(
              (r, i) =>
                `LOAD ${i} AS x${i} AUTOGENERATE 1;\nLIB CONNECT TO ${wrap(r.space ? `${r.space}:${r.conn}` : r.conn, r.how)};`,
            )
            .join('\n');
          const found = findConnectionReferences(script).filter((f) => f.kind === 'lib-connect');
          expect(found.map((f) => [f.spaceName, f.name])).toEqual(refs.map((r) => [r.space, r.conn]));
        },
      ),
      { numRuns: 200 },
    );
  });

  it('never reports a connection that is only in comments', () => {
    fc.assert(
      fc.property(name, fc.constantFrom('line', 'block', 'rem'), (conn, comment) => {
        const line = `LIB CONNECT TO '${conn}';`;
        const script =
          comment === 'line'
            ? `// ${line}\nLOAD 1 AS a AUTOGENERATE 1;`
            : comment === 'block'
              ? `/* ${line}\n */ LOAD 1 AS a AUTOGENERATE 1;`
              : `REM ${line}\nLOAD 1 AS a AUTOGENERATE 1;`;
        expect(findConnectionReferences(script)).toEqual([]);
      }),
      { numRuns: 200 },
    );
  });
});
