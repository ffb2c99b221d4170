import { describe, expect, it } from 'vitest';
import {
  DataModel,
  evaluateExpression,
  HyperCube,
  parseExpression,
  reduceForUser,
  Selections,
  tablesAndKeys,
} from '../../src/engine/model/index.js';
import { runScript } from '../../src/engine/script/index.js';

/** A template-like script: a mapping, orders with a preceding LOAD, a region table and section access. */
const SCRIPT = `
ProductNames:
MAPPING LOAD * INLINE [
code, name
P1, Widget
P2, Gadget
];

Orders:
LOAD *, Quantity * Price AS Amount;
LOAD OrderID, ApplyMap('ProductNames', code, 'Unknown') AS Product, Upper(region) AS REGION, Quantity, Price
INLINE [
OrderID, code, region, Quantity, Price
1, P1, north, 2, 10
2, P2, north, 1, 5
3, P1, south, 4, 10
4, P3, south, 1, 7
];

Regions:
LOAD * INLINE [
REGION, Manager
NORTH, Nina
SOUTH, Sam
];

Section Access;
LOAD * INLINE [
ACCESS, USERID, REGION
USER, acme-north, NORTH
USER, acme-south, SOUTH
];
Section Application;
`;

async function load() {
  const result = await runScript(SCRIPT);
  if (!result.success) throw new Error(result.error.message);
  return result.data;
}

const cube = (model: DataModel, definition: Record<string, unknown>) => {
  const hypercube = new HyperCube(definition, model, new Selections(model).inference);
  const { qMatrix } = hypercube.page({ qTop: 0, qLeft: 0, qWidth: 5, qHeight: 50 }) as {
    qMatrix: { qText: string }[][];
  };
  return qMatrix.map((row) => row.map((cell) => cell.qText));
};

describe('a reload’s tables through the data model', () => {
  it('associates the script’s tables and aggregates across them', async () => {
    const model = new DataModel(await load());
    expect(tablesAndKeys(model, true).qk).toEqual([{ qKeyFields: ['REGION'], qTables: ['Orders', 'Regions'] }]);
    expect(
      cube(model, {
        qDimensions: [{ qDef: { qFieldDefs: ['Manager'] } }, { qDef: { qFieldDefs: ['Product'] } }],
        qMeasures: [{ qDef: { qDef: 'Sum(Amount)' } }, { qDef: { qDef: 'Count(OrderID)' } }],
      }),
    ).toEqual([
      ['Nina', 'Widget', '20', '1'],
      ['Nina', 'Gadget', '5', '1'],
      ['Sam', 'Widget', '40', '1'],
      ['Sam', 'Unknown', '7', '1'],
    ]);
    const selections = new Selections(model);
    selections.select('Manager', [model.field('Manager')!.symbols.find('Sam')!]);
    expect(evaluateExpression(model, selections.inference, parseExpression('Sum(Amount)'))).toBe(47);
  });

  it('section access from the script reduces the model per end user, and refuses one it does not list', async () => {
    const data = await load();
    const totals = (subject: string) => {
      const access = reduceForUser(data, { subject, groups: [] });
      if (!access.ok) return access.reason;
      const model = new DataModel(access.data);
      return evaluateExpression(model, new Selections(model).inference, parseExpression('Sum(Amount)'));
    };
    expect(totals('acme-north')).toBe(25);
    expect(totals('acme-south')).toBe(47);
    expect(totals('globex-north')).toBe('The user is not in the section access table');
  });
});
