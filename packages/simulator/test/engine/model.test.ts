import { describe, expect, it } from 'vitest';
import { DataModel, Selections, tablesAndKeys } from '../../src/engine/model/index.js';
import type { LoadedData } from '../../src/engine/table.js';
import { SALES } from './fixtures.js';

const texts = (model: DataModel, field: string, symbols: Iterable<number>) =>
  [...symbols].map((symbol) => model.field(field)!.symbols.texts[symbol]);

/** The texts of a field in each state, for readable expectations. */
function statesOf(selections: Selections, field: string): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  const symbols = selections.model.field(field)!.symbols;
  selections.inference.valueStates(field).forEach((state, symbol) => {
    (out[state] ??= []).push(symbols.texts[symbol]!);
  });
  return out;
}

function symbolsOf(model: DataModel, field: string, values: (string | number)[]): number[] {
  return values.map((value) => model.field(field)!.symbols.find(value)!);
}

describe('data model from loaded tables', () => {
  it('keeps one symbol table per field, shared by the tables holding it, and rows as symbol indexes', () => {
    const model = new DataModel(SALES);
    const customerId = model.field('CustomerID')!;
    // 1..4 from Customers, then 9 (only in Orders), in load order.
    expect(customerId.symbols.texts).toEqual(['1', '2', '3', '4', '9']);
    expect(customerId.tables.map((index) => model.tables[index]!.name)).toEqual(['Customers', 'Orders']);
    const orders = model.tables[1]!;
    expect(orders.columns[orders.fields.indexOf('CustomerID')]).toEqual(Int32Array.from([0, 0, 1, 2, 2, 4]));
    expect(orders.columns[0]).toBeInstanceOf(Int32Array);
    expect(model.field('Amount')!.symbols.nums).toEqual([10, 20, 30, 5, 15, 1]);
  });

  it('treats a number and a text that looks like it as different values, and keeps the first text of a number', () => {
    const model = new DataModel({
      tables: [
        {
          name: 'T',
          fields: ['V'],
          rows: [[1], ['1'], [{ text: '01', num: 1 }], [null], [{ text: 'Jan', num: 1 }], ['x']],
        },
      ],
    });
    const symbols = model.field('V')!.symbols;
    expect(symbols.texts).toEqual(['1', '1', 'x']);
    expect(symbols.nums.map((num) => (Number.isNaN(num) ? 'NaN' : num))).toEqual([1, 'NaN', 'NaN']);
    expect([...model.tables[0]!.columns[0]!]).toEqual([0, 1, 0, -1, 0, 2]);
  });

  it('replaces two or more shared fields by a synthetic key with its own table', () => {
    const data: LoadedData = {
      tables: [
        {
          name: 'Budget',
          fields: ['Year', 'Region', 'Budget'],
          rows: [
            [2024, 'N', 100],
            [2024, 'S', 50],
            [2025, 'N', 120],
          ],
        },
        {
          name: 'Actuals',
          fields: ['Year', 'Region', 'Actual'],
          rows: [
            [2024, 'N', 90],
            [2025, 'N', 130],
            [2025, 'S', 40],
          ],
        },
      ],
    };
    const model = new DataModel(data);
    expect(model.syntheticKeys).toEqual([
      { name: '$Syn 1', fields: ['Year', 'Region'], tables: ['Budget', 'Actuals'] },
    ]);
    expect(model.tables.map((table) => [table.name, table.fields])).toEqual([
      ['Budget', ['Budget', '$Syn 1']],
      ['Actuals', ['Actual', '$Syn 1']],
      ['$Syn 1 Table', ['$Syn 1', 'Year', 'Region']],
    ]);
    expect(model.tables[2]!.rowCount).toBe(4);
    // Selecting Region=S reaches both tables through the synthetic key: only (2024,S) and (2025,S) rows.
    const selections = new Selections(model);
    selections.select('Region', symbolsOf(model, 'Region', ['S']));
    expect(statesOf(selections, 'Budget')).toEqual({ O: ['50'], X: ['100', '120'] });
    expect(statesOf(selections, 'Actual')).toEqual({ O: ['40'], X: ['90', '130'] });
    expect(statesOf(selections, 'Year')).toEqual({ O: ['2024', '2025'] });
  });

  it('GetTablesAndKeys: tables, field statistics and keys, as loaded and with synthetic keys', () => {
    const model = new DataModel(SALES);
    const { qtr, qk } = tablesAndKeys(model, false);
    expect(qtr.map((table) => [table.qName, table.qNoOfRows])).toEqual([
      ['Customers', 4],
      ['Orders', 6],
      ['Products', 3],
    ]);
    expect(qk).toEqual([
      { qKeyFields: ['CustomerID'], qTables: ['Customers', 'Orders'] },
      { qKeyFields: ['ProductID'], qTables: ['Orders', 'Products'] },
    ]);
    const orders = qtr[1]!.qFields as Record<string, unknown>[];
    expect(orders.find((field) => field.qName === 'CustomerID')).toMatchObject({
      qKeyType: 'ANY_KEY',
      qnRows: 6,
      qnNonNulls: 6,
      qnPresentDistinctValues: 4,
      qnTotalDistinctValues: 5,
      qHasDuplicates: true,
      qTags: ['$key', '$numeric', '$integer'],
    });
    const customers = qtr[0]!.qFields as Record<string, unknown>[];
    expect(customers[0]).toMatchObject({ qName: 'CustomerID', qKeyType: 'PRIMARY_KEY', qSubsetRatio: 0.8 });
    expect(customers[1]).toMatchObject({ qName: 'Customer', qKeyType: 'NOT_KEY', qTags: ['$text', '$ascii'] });

    const synthetic = new DataModel({
      tables: [
        { name: 'A', fields: ['K1', 'K2', 'X'], rows: [[1, 1, 'a']] },
        { name: 'B', fields: ['K1', 'K2', 'Y'], rows: [[1, 1, 'b']] },
      ],
    });
    expect(tablesAndKeys(synthetic, false).qk).toEqual([{ qKeyFields: ['K1', 'K2'], qTables: ['A', 'B'] }]);
    const withSyn = tablesAndKeys(synthetic, true);
    expect(withSyn.qtr.map((table) => [table.qName, table.qIsSynthetic])).toEqual([
      ['A', false],
      ['B', false],
      ['$Syn 1 Table', true],
    ]);
    expect(withSyn.qk).toEqual([{ qKeyFields: ['$Syn 1'], qTables: ['A', 'B', '$Syn 1 Table'] }]);
  });
});

describe('selections propagate through associated tables', () => {
  it('with nothing selected every value is optional', () => {
    const selections = new Selections(new DataModel(SALES));
    expect(statesOf(selections, 'Customer')).toEqual({ O: ['Acme', 'Beta', 'Corp', 'Idle'] });
    expect(selections.inference.rows.every((mask) => mask === undefined)).toBe(true);
  });

  it('selecting a customer makes its orders and products possible and the rest excluded', () => {
    const model = new DataModel(SALES);
    const selections = new Selections(model);
    expect(selections.select('Customer', symbolsOf(model, 'Customer', ['Acme']))).toBe(true);
    expect(statesOf(selections, 'Customer')).toEqual({ S: ['Acme'], A: ['Beta', 'Corp', 'Idle'] });
    expect(statesOf(selections, 'OrderID')).toEqual({ O: ['100', '101'], X: ['102', '103', '104', '105'] });
    expect(statesOf(selections, 'Product')).toEqual({ O: ['Widget', 'Gadget'], X: ['Gizmo'] });
    expect(statesOf(selections, 'Country')).toEqual({ O: ['SE'], X: ['DE', 'FI'] });
  });

  it('selections in two fields intersect, and other values of a selected field are alternative only if still possible', () => {
    const model = new DataModel(SALES);
    const selections = new Selections(model);
    selections.select('Country', symbolsOf(model, 'Country', ['SE']));
    selections.select('Product', symbolsOf(model, 'Product', ['Widget']));
    expect(statesOf(selections, 'Customer')).toEqual({ O: ['Acme', 'Corp'], X: ['Beta', 'Idle'] });
    expect(statesOf(selections, 'OrderID')).toEqual({ O: ['100', '104'], X: ['101', '102', '103', '105'] });
    // Other products: Gadget (Acme) and Gizmo (Corp) are possible in SE: alternative.
    expect(statesOf(selections, 'Product')).toEqual({ S: ['Widget'], A: ['Gadget', 'Gizmo'] });
    // A customer without orders and an order without a customer are excluded by any selection.
    expect(texts(model, 'CustomerID', [4])).toEqual(['9']);
    expect(statesOf(selections, 'CustomerID')).toEqual({ O: ['1', '3'], X: ['2', '4', '9'] });
  });

  it('a selection that other selections exclude is selected-excluded', () => {
    const model = new DataModel(SALES);
    const selections = new Selections(model);
    selections.select('Product', symbolsOf(model, 'Product', ['Gizmo']));
    selections.select('Customer', symbolsOf(model, 'Customer', ['Acme', 'Corp']));
    expect(statesOf(selections, 'Customer')).toEqual({ XS: ['Acme'], X: ['Beta', 'Idle'], S: ['Corp'] });
    expect(statesOf(selections, 'Product')).toEqual({ S: ['Gizmo'], A: ['Widget', 'Gadget'] });
    selections.select('Customer', symbolsOf(model, 'Customer', ['Beta']));
    expect(statesOf(selections, 'Product')).toEqual({ XS: ['Gizmo'], A: ['Widget'], X: ['Gadget'] });
  });

  it('toggling, clearing a field and clearing all', () => {
    const model = new DataModel(SALES);
    const selections = new Selections(model);
    const [acme, beta] = symbolsOf(model, 'Customer', ['Acme', 'Beta']) as [number, number];
    selections.select('Customer', [acme]);
    expect(selections.select('Customer', [beta], true)).toBe(true);
    expect(statesOf(selections, 'Customer').S).toEqual(['Acme', 'Beta']);
    selections.select('Customer', [acme], true);
    expect(statesOf(selections, 'Customer').S).toEqual(['Beta']);
    expect(selections.select('Customer', [beta])).toBe(false);
    selections.select('Customer', [beta], true);
    expect(selections.current.size).toBe(0);
    selections.select('Customer', [acme]);
    selections.select('Product', symbolsOf(model, 'Product', ['Widget']));
    expect(selections.clear('Customer')).toBe(true);
    expect(statesOf(selections, 'Customer')).toEqual({ O: ['Acme', 'Beta', 'Corp'], X: ['Idle'] });
    expect(selections.clearAll()).toBe(true);
    expect(selections.clearAll()).toBe(false);
    expect(statesOf(selections, 'Customer')).toEqual({ O: ['Acme', 'Beta', 'Corp', 'Idle'] });
  });

  it('selecting a customer without orders keeps it selected and excludes every order (outer-join semantics)', () => {
    const model = new DataModel(SALES);
    const selections = new Selections(model);
    selections.select('Customer', symbolsOf(model, 'Customer', ['Idle']));
    expect(statesOf(selections, 'Customer')).toEqual({ S: ['Idle'], A: ['Acme', 'Beta', 'Corp'] });
    expect(statesOf(selections, 'OrderID')).toEqual({ X: ['100', '101', '102', '103', '104', '105'] });
    expect(statesOf(selections, 'CustomerID')).toEqual({ X: ['1', '2', '3', '9'], O: ['4'] });
    // An order whose customer is not in Customers is still reachable from its product.
    selections.clearAll();
    selections.select('Product', symbolsOf(model, 'Product', ['Gadget']));
    expect(statesOf(selections, 'CustomerID')).toEqual({ O: ['1', '9'], X: ['2', '3', '4'] });
    expect(statesOf(selections, 'Customer')).toEqual({ O: ['Acme'], X: ['Beta', 'Corp', 'Idle'] });
  });

  it('tables not linked to a selected field are not filtered', () => {
    const model = new DataModel({
      tables: [...SALES.tables, { name: 'Calendar', fields: ['Month'], rows: [['Jan'], ['Feb']] }],
    });
    const selections = new Selections(model);
    selections.select('Customer', symbolsOf(model, 'Customer', ['Beta']));
    expect(statesOf(selections, 'Month')).toEqual({ O: ['Jan', 'Feb'] });
    expect(selections.inference.rows[3]).toBeUndefined();
  });
});
