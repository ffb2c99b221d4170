import { describe, expect, it } from 'vitest';
import {
  DataModel,
  evaluateExpression,
  HyperCube,
  ListObject,
  parseExpression,
  PageTooLargeError,
  Selections,
} from '../../src/engine/model/index.js';
import { SALES } from './fixtures.js';

const model = new DataModel(SALES);

function cube(definition: Record<string, unknown>, selections = new Selections(model)) {
  return new HyperCube(definition, model, selections.inference);
}

const dims = (...fields: string[]) => fields.map((field) => ({ qDef: { qFieldDefs: [field] } }));
const measures = (...expressions: string[]) => expressions.map((qDef) => ({ qDef: { qDef } }));

/** The page's matrix as texts, row by row. */
function texts(hypercube: HyperCube, page = { qTop: 0, qLeft: 0, qWidth: 10, qHeight: 100 }): string[][] {
  const { qMatrix } = hypercube.page(page) as { qMatrix: { qText: string }[][] };
  return qMatrix.map((row) => row.map((cell) => cell.qText));
}

function select(selections: Selections, field: string, ...values: (string | number)[]) {
  selections.select(
    field,
    values.map((value) => model.field(field)!.symbols.find(value)!),
  );
  return selections;
}

describe('hypercube', () => {
  it('sums a measure per dimension value reached through the key, with a null row and a zero row', () => {
    const hypercube = cube({ qDimensions: dims('Customer'), qMeasures: measures('=Sum(Amount)') });
    // Order 105 has no customer: the null row. Idle has no orders: Sum over nothing is 0.
    expect(texts(hypercube)).toEqual([
      ['Acme', '30'],
      ['Beta', '30'],
      ['Corp', '20'],
      ['Idle', '0'],
      ['-', '1'],
    ]);
    const layout = hypercube.layout() as any;
    expect(layout.qSize).toEqual({ qcx: 2, qcy: 5 });
    expect(layout.qGrandTotalRow[0]).toMatchObject({ qText: '81', qNum: 81 });
    expect(layout.qDimensionInfo[0]).toMatchObject({ qFallbackTitle: 'Customer', qCardinal: 4, qDimensionType: 'D' });
    expect(layout.qMeasureInfo[0]).toMatchObject({ qFallbackTitle: '=Sum(Amount)', qMin: 0, qMax: 30 });
    const nullCell = (hypercube.page({ qTop: 4, qLeft: 0, qWidth: 1, qHeight: 1 }) as any).qMatrix[0][0];
    expect(nullCell).toEqual({ qText: '-', qNum: 'NaN', qElemNumber: -2, qState: 'O', qIsNull: true });
  });

  it('Count, Count(DISTINCT), Avg, Min, Max and arithmetic over aggregations', () => {
    const hypercube = cube({
      qDimensions: [{ qDef: { qFieldDefs: ['Customer'] }, qNullSuppression: true }],
      qMeasures: measures(
        'Count(OrderID)',
        'Count(DISTINCT ProductID)',
        'Avg(Amount)',
        'Min(Amount)',
        'Max(Amount)',
        'Sum(Amount) / Count(OrderID) * 2 - 1',
      ),
    });
    expect(texts(hypercube)).toEqual([
      ['Acme', '2', '2', '15', '10', '20', '29'],
      ['Beta', '1', '1', '30', '30', '30', '59'],
      ['Corp', '2', '2', '10', '5', '15', '19'],
      ['Idle', '0', '0', '-', '-', '-', '-'],
    ]);
  });

  it('aggregates a lookup table once per group, whatever the number of facts reaching it', () => {
    const hypercube = cube({ qDimensions: dims('Product'), qMeasures: measures('Sum(Amount)', 'Count(Customer)') });
    expect(texts(hypercube)).toEqual([
      ['Widget', '55', '3'],
      ['Gadget', '21', '1'],
      ['Gizmo', '5', '1'],
    ]);
  });

  it('two dimensions from two tables, sorted by the measure first (qInterColumnSortOrder)', () => {
    const definition = {
      qDimensions: dims('Country', 'Product'),
      qMeasures: [{ qDef: { qDef: 'Sum(Amount)' }, qSortBy: { qSortByNumeric: -1 } }],
    };
    expect(texts(cube(definition))).toEqual([
      ['SE', 'Widget', '25'],
      ['SE', 'Gadget', '20'],
      ['SE', 'Gizmo', '5'],
      ['DE', 'Widget', '30'],
      ['-', 'Gadget', '1'],
    ]);
    const byMeasure = cube({ ...definition, qInterColumnSortOrder: [2, 0, 1] });
    expect(texts(byMeasure).map((row) => row[2])).toEqual(['30', '25', '20', '5', '1']);
    expect((byMeasure.layout() as any).qEffectiveInterColumnSortOrder).toEqual([2, 0, 1]);
  });

  it('sorts dimensions by text, number, reversed, and by an expression', () => {
    const ascii = cube({
      qDimensions: [
        { qDef: { qFieldDefs: ['Customer'], qSortCriterias: [{ qSortByAscii: -1 }] }, qNullSuppression: true },
      ],
    });
    expect(texts(ascii).flat()).toEqual(['Idle', 'Corp', 'Beta', 'Acme']);
    expect((ascii.layout() as any).qDimensionInfo[0].qSortIndicator).toBe('D');
    const numeric = cube({
      qDimensions: [{ qDef: { qFieldDefs: ['Amount'], qSortCriterias: [{ qSortByNumeric: 1 }] } }],
    });
    expect(texts(numeric).flat()).toEqual(['1', '5', '10', '15', '20', '30']);
    const reversed = cube({
      qDimensions: [{ qDef: { qFieldDefs: ['Amount'], qSortCriterias: [{ qSortByNumeric: 1 }], qReverseSort: true } }],
    });
    expect(texts(reversed).flat()).toEqual(['30', '20', '15', '10', '5', '1']);
    const byExpression = cube({
      qDimensions: [
        {
          qDef: {
            qFieldDefs: ['Product'],
            qSortCriterias: [{ qSortByExpression: -1, qExpression: { qv: 'Count(OrderID)' } }],
          },
        },
      ],
      qMeasures: measures('Sum(Amount)'),
    });
    expect(texts(byExpression)).toEqual([
      ['Widget', '55'],
      ['Gadget', '21'],
      ['Gizmo', '5'],
    ]);
  });

  it('pages (qPages) and the initial data fetch', () => {
    const hypercube = cube({
      qDimensions: dims('OrderID'),
      qMeasures: measures('Sum(Amount)'),
      qInitialDataFetch: [{ qTop: 0, qLeft: 0, qWidth: 2, qHeight: 2 }],
    });
    const layout = hypercube.layout() as any;
    expect(layout.qDataPages[0].qArea).toEqual({ qLeft: 0, qTop: 0, qWidth: 2, qHeight: 2 });
    expect(layout.qDataPages[0].qMatrix.map((row: any[]) => row.map((cell) => cell.qText))).toEqual([
      ['100', '10'],
      ['101', '20'],
    ]);
    expect(texts(hypercube, { qTop: 4, qLeft: 1, qWidth: 5, qHeight: 10 })).toEqual([['15'], ['1']]);
    expect((hypercube.page({ qTop: 4, qLeft: 1, qWidth: 5, qHeight: 10 }) as any).qArea).toEqual({
      qLeft: 1,
      qTop: 4,
      qWidth: 1,
      qHeight: 2,
    });
    expect(() => hypercube.page({ qTop: 0, qLeft: 0, qWidth: 2, qHeight: 5001 })).toThrow(PageTooLargeError);
  });

  it('follows selections: only associated rows, selected cells in state S, totals over possible rows', () => {
    const selections = select(new Selections(model), 'Country', 'SE');
    const hypercube = cube({ qDimensions: dims('Country', 'Product'), qMeasures: measures('Sum(Amount)') }, selections);
    expect(texts(hypercube)).toEqual([
      ['SE', 'Widget', '25'],
      ['SE', 'Gadget', '20'],
      ['SE', 'Gizmo', '5'],
    ]);
    const first = (hypercube.page({ qTop: 0, qLeft: 0, qWidth: 3, qHeight: 1 }) as any).qMatrix[0];
    expect(first.map((cell: any) => cell.qState)).toEqual(['S', 'O', 'L']);
    expect((hypercube.layout() as any).qGrandTotalRow[0].qText).toBe('50');
    expect((hypercube.layout() as any).qDimensionInfo[0].qStateCounts).toMatchObject({ qSelected: 1, qAlternative: 2 });
  });

  it('suppresses zero rows with qSuppressZero and reports invalid definitions as qError', () => {
    const zero = cube({ qDimensions: dims('Customer'), qMeasures: measures('Sum(Amount)'), qSuppressZero: true });
    expect(texts(zero).map((row) => row[0])).toEqual(['Acme', 'Beta', 'Corp', '-']);
    const unknownField = cube({ qDimensions: dims('Nope'), qMeasures: measures('Sum(Amount)') }).layout() as any;
    expect(unknownField.qError).toMatchObject({ qErrorCode: 7000 });
    expect(unknownField.qSize).toEqual({ qcx: 2, qcy: 0 });
    const badMeasure = cube({ qDimensions: dims('Customer'), qMeasures: measures('Sum(Amount') }).layout() as any;
    expect(badMeasure.qMeasureInfo[0].qError).toMatchObject({ qErrorCode: 7000 });
    const unknownFunction = cube({ qMeasures: measures('Median(Amount)') }).layout() as any;
    expect(unknownFunction.qError.qExtendedMessage).toBe('Unknown function Median');
  });
});

describe('list object', () => {
  const listObject = (definition: Record<string, unknown>, selections = new Selections(model)) =>
    new ListObject(definition, model, selections.inference);
  const cells = (list: ListObject) =>
    (list.page({ qTop: 0, qLeft: 0, qWidth: 1, qHeight: 100 }) as any).qMatrix.map((row: any[]) => [
      row[0].qText,
      row[0].qState,
    ]);

  it('lists every value of the field with its state', () => {
    const selections = select(new Selections(model), 'Product', 'Widget');
    expect(cells(listObject({ qDef: { qFieldDefs: ['Customer'] } }, selections))).toEqual([
      ['Acme', 'O'],
      ['Beta', 'O'],
      ['Corp', 'O'],
      ['Idle', 'X'],
    ]);
    expect(cells(listObject({ qDef: { qFieldDefs: ['Product'] } }, selections))).toEqual([
      ['Widget', 'S'],
      ['Gadget', 'X'],
      ['Gizmo', 'X'],
    ]);
    const withAlternatives = listObject(
      {
        qDef: { qFieldDefs: ['Product'], qSortCriterias: [{ qSortByState: 1, qSortByAscii: -1 }] },
        qShowAlternatives: true,
      },
      selections,
    );
    expect(cells(withAlternatives)).toEqual([
      ['Widget', 'S'],
      ['Gizmo', 'A'],
      ['Gadget', 'A'],
    ]);
    const layout = withAlternatives.layout() as any;
    expect(layout.qSize).toEqual({ qcx: 1, qcy: 3 });
    expect(layout.qDimensionInfo.qStateCounts).toMatchObject({ qSelected: 1, qAlternative: 2, qExcluded: 0 });
  });

  it('an unknown field is a qError', () => {
    expect((listObject({ qDef: { qFieldDefs: ['Nope'] } }).layout() as any).qError).toMatchObject({ qErrorCode: 7000 });
  });
});

describe('Evaluate', () => {
  const evaluate = (expression: string, selections = new Selections(model)) =>
    evaluateExpression(model, selections.inference, parseExpression(expression));

  it('aggregates over every possible row', () => {
    expect(evaluate('Sum(Amount)')).toBe(81);
    expect(evaluate('Count(DISTINCT CustomerID)')).toBe(5);
    expect(evaluate('Sum(Amount) / Count(OrderID)')).toBe(13.5);
    expect(evaluate('Only(Country)')).toBeNull();
    expect(evaluate("'a' ")).toBe('a');
    const selections = select(new Selections(model), 'Customer', 'Beta');
    expect(evaluate('Sum(Amount)', selections)).toBe(30);
    expect(evaluate('Country', selections)).toBe('DE');
    expect(evaluate('Count(DISTINCT CustomerID)', selections)).toBe(1);
  });

  it('rejects what it cannot parse', () => {
    expect(() => parseExpression('Sum(')).toThrow(/Unexpected end/);
    expect(() => parseExpression('Sum(Sum(Amount))')).toThrow(/Nested aggregation/);
    expect(() => parseExpression('1 +* 2')).toThrow(/Unexpected/);
    expect(parseExpression("Sum([Order Amount]) + 'it''s'")).toEqual({
      kind: 'binary',
      op: '+',
      left: { kind: 'aggregate', fn: 'sum', distinct: false, arg: { kind: 'field', name: 'Order Amount' } },
      right: { kind: 'text', value: "it's" },
    });
  });
});
