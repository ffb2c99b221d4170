import { describe, expect, it } from 'vitest';
import { expandVariables, findConnectionReferences, isBuiltInConnection } from '../../src/content/script.js';

const names = (script: string) =>
  findConnectionReferences(script).map((r) => (r.spaceName ? `${r.spaceName}:${r.name}` : r.name));

describe('findConnectionReferences', () => {
  it('finds quoted, double-quoted, bracketed and bare LIB CONNECT targets', () => {
    const script = [
      "LIB CONNECT TO 'Sales DB';",
      'lib connect to "Other";',
      'Lib Connect To [Bracketed Name];',
      'LIB CONNECT TO Bare;',
    ].join('\n');
    expect(names(script)).toEqual(['Sales DB', 'Other', 'Bracketed Name', 'Bare']);
    expect(findConnectionReferences(script).map((r) => r.line)).toEqual([1, 2, 3, 4]);
  });

  it('splits space-qualified names', () => {
    const [ref] = findConnectionReferences("LIB CONNECT TO 'Customer A:Postgres';");
    expect(ref).toMatchObject({ name: 'Postgres', spaceName: 'Customer A', kind: 'lib-connect' });
  });

  it('finds lib:// paths with and without a space', () => {
    const script = "LOAD * FROM [lib://DataFiles/a.qvd] (qvd);\nLOAD * FROM 'lib://Prod:S3 bucket/b.csv';";
    expect(findConnectionReferences(script)).toMatchObject([
      { name: 'DataFiles', spaceName: undefined, kind: 'lib-path', line: 1 },
      { name: 'S3 bucket', spaceName: 'Prod', kind: 'lib-path', line: 2 },
    ]);
  });

  it('ignores commented-out connections but keeps line numbers', () => {
    const script = [
      "// LIB CONNECT TO 'Old';",
      "/* LIB CONNECT TO 'Older';",
      '*/',
      "REM LIB CONNECT TO 'Oldest';",
      "LIB CONNECT TO 'Current'; // trailing",
    ].join('\n');
    expect(findConnectionReferences(script)).toMatchObject([{ name: 'Current', line: 5 }]);
  });

  it('does not treat // inside a quoted lib:// path as a comment', () => {
    expect(names("LOAD * FROM 'lib://Conn/x.csv'; LIB CONNECT TO 'Next';")).toEqual(['Conn', 'Next']);
  });

  it('reads comments as the engine does: // inside a `backticked` field name is data', () => {
    expect(names("LOAD 1 AS `a//b` AUTOGENERATE 1; LIB CONNECT TO 'After';")).toEqual(['After']);
  });

  it('returns nothing for a script without connections', () => {
    expect(findConnectionReferences('LOAD 1 AS x AUTOGENERATE 1;')).toEqual([]);
  });

  it('knows the built-in DataFiles connection', () => {
    expect(isBuiltInConnection('datafiles')).toBe(true);
    expect(isBuiltInConnection('Postgres')).toBe(false);
  });

  it('expands $(variables) from SET/LET and from the reload variables', () => {
    const script =
      "SET vSpace = 'Customer A';\nLET vConn = 'DB';\nLIB CONNECT TO '$(vSpace):$(vConn)';\nLIB CONNECT TO '$(vOther)';";
    expect(findConnectionReferences(script, { vOther: 'From reload' })).toMatchObject([
      { spaceName: 'Customer A', name: 'DB', line: 3 },
      { spaceName: undefined, name: 'From reload', line: 4 },
    ]);
    // Reload variables win over the script's own; unknown ones expand to nothing.
    expect(findConnectionReferences(script, { vConn: 'Override' })[0]).toMatchObject({ name: 'Override' });
    expect(findConnectionReferences(script)[1]).toMatchObject({ name: '' });
    expect(expandVariables("// SET v = 'x';\n$(v)")).toBe("// SET v = 'x';\n");
  });
});
