// Golden tests of the load-script interpreter: each script's resulting tables against expected rows.
import { describe, expect, it } from 'vitest';
import { runScript, type RunResult } from '../../src/engine/script/index.js';
import type { LoadedData } from '../../src/engine/table.js';

async function load(script: string, variables?: Record<string, string>): Promise<LoadedData> {
  const result = await runScript(script, { variables });
  if (!result.success) throw result.error;
  return result.data;
}

async function failure(script: string): Promise<Extract<RunResult, { success: false }>['error']> {
  const result = await runScript(script);
  if (result.success) throw new Error('the script was expected to fail');
  return result.error;
}

/** The application tables as plain `{ name, fields, rows }`. */
function tables(data: LoadedData) {
  return data.tables.map((t) => ({ name: t.name, fields: t.fields, rows: t.rows }));
}

describe('LOAD ... INLINE', () => {
  it('reads embedded labels, numbers as numbers and texts as texts', async () => {
    const data = await load(`
      Customers:
      LOAD * INLINE [
        CustomerID, Name, Country
        1, Acme, SE
        2, Beta Corp, DE
      ];`);
    expect(tables(data)).toEqual([
      {
        name: 'Customers',
        fields: ['CustomerID', 'Name', 'Country'],
        rows: [
          [1, 'Acme', 'SE'],
          [2, 'Beta Corp', 'DE'],
        ],
      },
    ]);
  });

  it('keeps the text of numbers written differently from their value', async () => {
    const data = await load(`T: LOAD * INLINE [
      Code
      007
      1.50
    ];`);
    expect(data.tables[0]!.rows).toEqual([[{ text: '007', num: 7 }], [{ text: '1.50', num: 1.5 }]]);
  });

  it('honours a delimiter in the format spec', async () => {
    const data = await load(`T: LOAD * INLINE [
      a;b
      1;x,y
    ] (delimiter is ';');`);
    expect(data.tables[0]).toEqual({ name: 'T', fields: ['a', 'b'], rows: [[1, 'x,y']] });
  });
});

describe('field lists and expressions', () => {
  const source = `
    Raw:
    LOAD * INLINE [
      Id, First, Last, Amount, Day
      1, ann , Lee, 10.5, 2024-01-15
      2, bob, Ray, 4, 2023-12-31
    ];`;

  it('evaluates aliases, arithmetic, &, string and date functions', async () => {
    const data = await load(`${source}
      Out:
      NoConcatenate
      LOAD Id,
           Upper(Trim(First)) & ' ' & Last AS FullName,
           Amount * 2 + 1 AS Twice,
           Left(Last, 1) AS Initial,
           Right(Last, 2) AS Tail,
           Mid(Last, 2) AS FromSecond,
           Len(Trim(First)) AS NameLength,
           Year(Day) AS Y, Month(Day) AS M, Day(Day) AS D,
           Date(Day, 'DD/MM/YYYY') AS Shown,
           Num(Amount, '#,##0.00') AS Money,
           Round(Amount) AS Rounded, Floor(Amount) AS Floored,
           If(Amount > 5, 'big', 'small') AS Size,
           Text(Id) AS IdText,
           Dual('ten', 10) AS D10
      RESIDENT Raw;
      DROP TABLE Raw;`);
    expect(data.tables).toHaveLength(1);
    const [out] = data.tables;
    expect(out!.name).toBe('Out');
    const row = Object.fromEntries(out!.fields.map((f, i) => [f, out!.rows[0]![i]]));
    expect(row).toEqual({
      Id: 1,
      FullName: 'ANN Lee',
      Twice: 22,
      Initial: 'L',
      Tail: 'ee',
      FromSecond: 'ee',
      NameLength: 3,
      Y: 2024,
      M: { text: 'Jan', num: 1 },
      D: 15,
      Shown: { text: '15/01/2024', num: 45306 },
      Money: { text: '10.50', num: 10.5 },
      Rounded: 11,
      Floored: 10,
      Size: 'big',
      IdText: '1',
      D10: { text: 'ten', num: 10 },
    });
    expect(out!.rows[1]![out!.fields.indexOf('Size')]).toBe('small');
  });

  it('names an unaliased expression by its text and keeps comparisons, AND/OR/NOT as -1/0', async () => {
    const data = await load(`T: LOAD 1 + 2, 3 > 2 AND NOT 1 = 2 AS Yes, 1 = 2 OR 0 AS No AUTOGENERATE 1;`);
    expect(data.tables[0]).toEqual({ name: 'T', fields: ['1 + 2', 'Yes', 'No'], rows: [[3, -1, 0]] });
  });

  it('gives null for arithmetic on a text, and & treats null as empty', async () => {
    const data = await load(`T: LOAD 'a' + 1 AS N, Null() & 'x' AS S AUTOGENERATE 1;`);
    expect(data.tables[0]!.rows).toEqual([[null, 'x']]);
  });

  it('fails on duplicate field names in one LOAD', async () => {
    const error = await failure(`T: LOAD 1 AS a, 2 AS a AUTOGENERATE 1;`);
    expect(error.message).toMatch(/unique within table/);
    expect(error.line).toBe(1);
  });
});

describe('WHERE', () => {
  it('keeps the rows whose condition is true, RecNo counting input and RowNo kept rows', async () => {
    const data = await load(`
      T: LOAD *, RecNo() AS Rec, RowNo() AS Row INLINE [
        Name, Amount
        a, 1
        b, 20
        c, 30
      ] WHERE Amount >= 10 AND Name <> 'c';`);
    expect(data.tables[0]).toEqual({ name: 'T', fields: ['Name', 'Amount', 'Rec', 'Row'], rows: [['b', 20, 2, 1]] });
  });
});

describe('preceding LOAD', () => {
  it('feeds each LOAD from the one below it, the label on top naming the table', async () => {
    const data = await load(`
      Orders:
      LOAD *, Net * 1.25 AS Gross WHERE Net > 5;
      LOAD Id, Qty * Price AS Net;
      LOAD * INLINE [
        Id, Qty, Price
        1, 2, 2
        2, 3, 4
      ];`);
    expect(data.tables).toEqual([{ name: 'Orders', fields: ['Id', 'Net', 'Gross'], rows: [[2, 12, 15]] }]);
  });

  it('fails on the line of the preceding LOAD that names an unknown field', async () => {
    const error = await failure(`T: LOAD a;
LOAD Missing AS a;
LOAD * INLINE [
b
1
];`);
    expect(error.code).toBe('FIELD_NOT_FOUND');
    expect(error.message).toContain("Field 'Missing' not found");
    expect(error.line).toBe(2);
    expect(error.statement).toBe('LOAD Missing AS a');
  });

  it('fails when a preceding LOAD has no source below it', async () => {
    const error = await failure(`LOAD a;\nTRACE x;`);
    expect(error.code).toBe('SYNTAX_ERROR');
  });
});

describe('RESIDENT', () => {
  it('loads from a table already in memory, ORDER BY sorting it', async () => {
    const data = await load(`
      A: LOAD * INLINE [
        k, v
        2, b
        1, a
      ];
      B: LOAD k AS key, v RESIDENT A ORDER BY k;
      DROP TABLE A;`);
    expect(data.tables).toEqual([
      {
        name: 'B',
        fields: ['key', 'v'],
        rows: [
          [1, 'a'],
          [2, 'b'],
        ],
      },
    ]);
  });

  it('fails on an unknown table with its line', async () => {
    const error = await failure(`\n\nT: LOAD * RESIDENT Nowhere;`);
    expect(error).toMatchObject({ code: 'TABLE_NOT_FOUND', line: 3, statement: 'T: LOAD * RESIDENT Nowhere' });
    expect(error.message).toContain("Table 'Nowhere' not found (line 3)");
  });
});

describe('concatenation', () => {
  it('appends a load with the same field set to the first table, whatever its label or field order', async () => {
    const data = await load(`
      First: LOAD * INLINE [
        a, b
        1, x
      ];
      Second: LOAD * INLINE [
        b, a
        y, 2
      ];`);
    expect(data.tables).toEqual([
      {
        name: 'First',
        fields: ['a', 'b'],
        rows: [
          [1, 'x'],
          [2, 'y'],
        ],
      },
    ]);
  });

  it('concatenates LOAD * RESIDENT into its own source table, as Qlik does', async () => {
    const data = await load(`
      T: LOAD * INLINE [
        a
        1
      ];
      Copy: LOAD * RESIDENT T;`);
    expect(data.tables).toEqual([{ name: 'T', fields: ['a'], rows: [[1], [1]] }]);
  });

  it('keeps tables apart with NOCONCATENATE, suffixing a taken name', async () => {
    const data = await load(`
      T: LOAD * INLINE [
        a
        1
      ];
      T: NoConcatenate LOAD a RESIDENT T;`);
    expect(data.tables.map((t) => t.name)).toEqual(['T', 'T-1']);
  });

  it('CONCATENATE adds to the named or last table, missing fields null', async () => {
    const data = await load(`
      A: LOAD * INLINE [
        a, b
        1, x
      ];
      B: LOAD * INLINE [
        c
        9
      ];
      Concatenate (A) LOAD * INLINE [
        a, c
        2, 8
      ];
      Concatenate LOAD * INLINE [
        d
        7
      ];`);
    expect(data.tables).toEqual([
      {
        name: 'A',
        fields: ['a', 'b', 'c'],
        rows: [
          [1, 'x', null],
          [2, null, 8],
        ],
      },
      {
        name: 'B',
        fields: ['c', 'd'],
        rows: [
          [9, null],
          [null, 7],
        ],
      },
    ]);
  });
});

describe('the tables a reload leaves', () => {
  it('are held by column: each field its distinct values once, rows as indexes (-1 for null), rows read back as loaded', async () => {
    const data = await load(`
      T: LOAD * INLINE [
        Region, Amount
        North, 10
        South, 10
        North, 7
      ];
      Concatenate (T) LOAD * INLINE [
        Region, Extra
        East, 1
      ];`);
    const [table] = data.tables;
    expect(table!.columns!.map(({ values, indexes }) => [values, [...indexes]])).toEqual([
      [
        ['North', 'South', 'East'],
        [0, 1, 0, 2],
      ],
      [
        [10, 7],
        [0, 0, 1, -1],
      ],
      [[1], [-1, -1, -1, 0]],
    ]);
    expect(table!.rows).toEqual([
      ['North', 10, null],
      ['South', 10, null],
      ['North', 7, null],
      ['East', null, 1],
    ]);
    // An app file stores the rows.
    expect(JSON.parse(JSON.stringify(table))).toEqual({
      name: 'T',
      fields: ['Region', 'Amount', 'Extra'],
      rows: table!.rows,
    });
  });
});

describe('MAPPING LOAD and ApplyMap', () => {
  it('maps through the mapping table, with a default or the value itself, and leaves no mapping table behind', async () => {
    const data = await load(`
      CountryMap:
      MAPPING LOAD * INLINE [
        Code, Country
        SE, Sweden
        DK, Denmark
      ];
      People: LOAD Name,
        ApplyMap('CountryMap', Code, 'Rest of the world') AS Country,
        ApplyMap('CountryMap', Code) AS Raw
      INLINE [
        Name, Code
        John, SE
        Risttu, FI
      ];`);
    expect(data.tables).toEqual([
      {
        name: 'People',
        fields: ['Name', 'Country', 'Raw'],
        rows: [
          ['John', 'Sweden', 'Sweden'],
          ['Risttu', 'Rest of the world', 'FI'],
        ],
      },
    ]);
  });

  it('fails when the mapping table does not exist', async () => {
    const error = await failure(`T: LOAD ApplyMap('Nope', 1) AS x AUTOGENERATE 1;`);
    expect(error.message).toContain('Mapping table not found: Nope');
  });
});

describe('variables', () => {
  it('SET keeps text, LET evaluates, $(var) expands before the statement runs', async () => {
    const data = await load(`
      SET vTable = 'Sales';
      SET vField = Amount;
      LET vLimit = 10 * 2;
      LET vLabel = 'Limit ' & $(vLimit);
      $(vTable): LOAD $(vField), '$(vLabel)' AS Label, '$(vMissing)' AS Empty, $(=1+1) AS Two
      INLINE [
        Amount
        5
        25
      ] WHERE $(vField) > $(vLimit);`);
    expect(data.tables).toEqual([
      { name: 'Sales', fields: ['Amount', 'Label', 'Empty', 'Two'], rows: [[25, 'Limit 20', '', 2]] },
    ]);
  });

  it("takes the reload's variables as set before the script", async () => {
    const data = await load(`T: LOAD '$(vCustomer)' AS Customer AUTOGENERATE 1;`, { vCustomer: 'acme' });
    expect(data.tables[0]!.rows).toEqual([['acme']]);
  });

  it('formats dates with DateFormat', async () => {
    const data = await load(`SET DateFormat='M/D/YYYY';\nT: LOAD Date(MakeDate(2024, 3, 5)) AS D AUTOGENERATE 1;`);
    expect(data.tables[0]!.rows[0]![0]).toEqual({ text: '3/5/2024', num: 45356 });
  });
});

describe('DROP and RENAME', () => {
  const two = `
    A: LOAD * INLINE [
      k, x, y
      1, 2, 3
    ];
    B: LOAD * INLINE [
      k, z
      1, 4
    ];`;

  it('drops fields from all or named tables, and tables', async () => {
    const data = await load(`${two}
      DROP FIELD x;
      DROP FIELDS k FROM B;
      DROP TABLE B;`);
    expect(data.tables).toEqual([{ name: 'A', fields: ['k', 'y'], rows: [[1, 3]] }]);
  });

  it('renames tables and fields', async () => {
    const data = await load(`${two}
      RENAME TABLE A TO Facts;
      RENAME FIELD k TO Key, z TO Zed;`);
    expect(data.tables).toEqual([
      { name: 'Facts', fields: ['Key', 'x', 'y'], rows: [[1, 2, 3]] },
      { name: 'B', fields: ['Key', 'Zed'], rows: [[1, 4]] },
    ]);
  });

  it('fails on dropping an unknown field or table', async () => {
    expect((await failure(`${two}\nDROP FIELD nope;`)).code).toBe('FIELD_NOT_FOUND');
    expect((await failure(`${two}\nDROP TABLE nope;`)).code).toBe('TABLE_NOT_FOUND');
  });
});

describe('TRACE, EXIT SCRIPT and comments', () => {
  it('logs TRACE, stops at EXIT SCRIPT and ignores //, /* */ and REM', async () => {
    const result = await runScript(`
      // LOAD nothing;
      /* A: LOAD 1 AS a AUTOGENERATE 1;
         still a comment */
      REM B: LOAD 2 AS b AUTOGENERATE 1;
      T: LOAD 'a//b' AS Path AUTOGENERATE 1; // trailing comment
      TRACE Loaded $(=1+2) things;
      EXIT SCRIPT;
      U: LOAD * RESIDENT Nowhere;`);
    expect(result.success).toBe(true);
    if (!result.success) return;
    expect(result.data.tables).toEqual([{ name: 'T', fields: ['Path'], rows: [['a//b']] }]);
    expect(result.log).toContain('Loaded 3 things');
  });
});

describe('section access', () => {
  it('loads access tables apart, upper-casing their field names and values', async () => {
    const data = await load(`
      Section Access;
      LOAD * INLINE [
        access, userid, region
        USER, auth0|john, north
        ADMIN, linda, *
      ];
      Section Application;
      Sales: LOAD * INLINE [
        REGION, Amount
        NORTH, 1
      ];`);
    expect(data.sectionAccess).toEqual([
      {
        name: 'INLINE',
        fields: ['ACCESS', 'USERID', 'REGION'],
        rows: [
          ['USER', 'AUTH0|JOHN', 'NORTH'],
          ['ADMIN', 'LINDA', '*'],
        ],
      },
    ]);
    expect(data.tables).toEqual([{ name: 'Sales', fields: ['REGION', 'Amount'], rows: [['NORTH', 1]] }]);
  });

  it('is absent when the script has no section access', async () => {
    expect((await load(`T: LOAD 1 AS a AUTOGENERATE 1;`)).sectionAccess).toBeUndefined();
  });
});

describe('errors', () => {
  it('fails an unsupported statement with its line and text', async () => {
    const error = await failure(`T: LOAD 1 AS a AUTOGENERATE 1;\nSTORE T INTO [lib://x/t.qvd];`);
    expect(error).toMatchObject({ code: 'UNSUPPORTED_STATEMENT', line: 2, statement: 'STORE T INTO [lib://x/t.qvd]' });
    expect(error.message).toBe('Unsupported statement (line 2): STORE T INTO [lib://x/t.qvd]');
  });

  it('fails a syntax error with its line', async () => {
    const error = await failure(`SET a = 1;\n\nT: LOAD (1 + AS x AUTOGENERATE 1;`);
    expect(error).toMatchObject({ code: 'SYNTAX_ERROR', line: 3 });
    expect(error.message).toContain('Unexpected token');
  });

  it('fails an unknown function and an unsupported clause', async () => {
    expect((await failure(`T: LOAD Nope(1) AS x AUTOGENERATE 1;`)).message).toContain('Unknown function: nope');
    expect((await failure(`T: LOAD a INLINE [\na\n1\n] GROUP BY a;`)).code).toBe('UNSUPPORTED_STATEMENT');
  });

  it('fails SQL without a connection and a FROM without file storage', async () => {
    expect((await failure(`SQL SELECT 1;`)).code).toBe('CONNECTION_NOT_FOUND');
    expect((await failure(`T: LOAD * FROM [lib://DataFiles/x.csv] (txt);`)).code).toBe('FILE_NOT_FOUND');
  });
});
