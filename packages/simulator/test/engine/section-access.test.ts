import { describe, expect, it } from 'vitest';
import { reduceForUser, type AccessUser } from '../../src/engine/model/index.js';
import type { LoadedData } from '../../src/engine/table.js';

const DATA: LoadedData = {
  tables: [
    {
      name: 'Orders',
      fields: ['ORDERID', 'CUSTOMER', 'Amount'],
      rows: [
        [1, 'ACME', 10],
        [2, 'ACME', 20],
        [3, 'BETA', 30],
        [4, 'GAMMA', 40],
      ],
    },
    {
      name: 'Customers',
      fields: ['CUSTOMER', 'Name'],
      rows: [
        ['ACME', 'Acme Inc'],
        ['BETA', 'Beta Ltd'],
        ['GAMMA', 'Gamma AB'],
      ],
    },
    { name: 'Calendar', fields: ['Month'], rows: [['Jan'], ['Feb']] },
  ],
  sectionAccess: [
    {
      name: 'Access',
      fields: ['ACCESS', 'USERID', 'GROUP', 'CUSTOMER'],
      rows: [
        ['USER', 'AUTH0|JOHN', null, 'ACME'],
        ['USER', 'AUTH0|LINDA', null, 'BETA'],
        ['USER', 'AUTH0|LINDA', null, 'ACME'],
        ['USER', null, 'FINANCE', '*'],
        ['USER', 'AUTH0|ERICA', null, 'ZETA'],
        ['ADMIN', 'AUTH0|ROOT', null, 'ZETA'],
        ['NONE', 'AUTH0|MALLORY', null, 'ACME'],
      ],
    },
  ],
};

const user = (subject: string, groups: string[] = []): AccessUser => ({ subject, groups });
function tablesFor(access: AccessUser) {
  const result = reduceForUser(DATA, access);
  if (!result.ok) throw new Error(result.reason);
  return Object.fromEntries(result.data.tables.map((table) => [table.name, table.rows]));
}

describe('section access reduction at open', () => {
  it('keeps only the rows associated with the user’s reduction values (subject matched case-insensitively)', () => {
    const john = tablesFor(user('auth0|john'));
    expect(john.Orders).toEqual([
      [1, 'ACME', 10],
      [2, 'ACME', 20],
    ]);
    expect(john.Customers).toEqual([['ACME', 'Acme Inc']]);
    // A table not associated with the reduction field is not reduced.
    expect(john.Calendar).toEqual([['Jan'], ['Feb']]);
    const linda = tablesFor(user('AUTH0|LINDA'));
    expect(linda.Orders!.map((row) => row[0])).toEqual([1, 2, 3]);
  });

  it('a group row grants its values; * means every value the security table lists, not every value', () => {
    const finance = tablesFor(user('auth0|someone', ['Finance']));
    expect(finance.Customers!.map((row) => row[0])).toEqual(['ACME', 'BETA']);
    expect(finance.Orders!.map((row) => row[0])).toEqual([1, 2, 3]);
  });

  it('refuses a user without a row, with an access other than USER/ADMIN, or whose values match no data', () => {
    expect(reduceForUser(DATA, user('auth0|stranger'))).toEqual({
      ok: false,
      reason: 'The user is not in the section access table',
    });
    expect(reduceForUser(DATA, user('auth0|mallory')).ok).toBe(false);
    expect(reduceForUser(DATA, user('auth0|erica'))).toEqual({
      ok: false,
      reason: "No data matches the user's reduction values",
    });
    // unverified: an ADMIN without a valid value sees the data unreduced.
    expect(tablesFor(user('auth0|root')).Orders).toHaveLength(4);
  });

  it('an app without section access is not reduced', () => {
    const open: LoadedData = { tables: DATA.tables };
    expect(reduceForUser(open, user('anyone'))).toEqual({ ok: true, data: open });
  });

  it('OMIT leaves a field out of the user’s model', () => {
    const withOmit: LoadedData = {
      tables: DATA.tables,
      sectionAccess: [
        {
          name: 'Access',
          fields: ['ACCESS', 'USERID', 'CUSTOMER', 'OMIT'],
          rows: [['USER', 'AUTH0|JOHN', 'ACME', 'Amount']],
        },
      ],
    };
    const result = reduceForUser(withOmit, user('auth0|john'));
    if (!result.ok) throw new Error(result.reason);
    const orders = result.data.tables.find((table) => table.name === 'Orders')!;
    expect(orders.fields).toEqual(['ORDERID', 'CUSTOMER']);
    expect(orders.rows).toEqual([
      [1, 'ACME'],
      [2, 'ACME'],
    ]);
  });
});
