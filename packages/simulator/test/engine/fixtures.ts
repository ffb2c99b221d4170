/** Hand-made reload results for the data model's tests: a small star schema and a synthetic key. */
import type { LoadedData } from '../../src/engine/table.js';

/** Customers ← Orders → Products, linked by CustomerID and ProductID. */
export const SALES: LoadedData = {
  tables: [
    {
      name: 'Customers',
      fields: ['CustomerID', 'Customer', 'Country'],
      rows: [
        [1, 'Acme', 'SE'],
        [2, 'Beta', 'DE'],
        [3, 'Corp', 'SE'],
        [4, 'Idle', 'FI'],
      ],
    },
    {
      name: 'Orders',
      fields: ['OrderID', 'CustomerID', 'ProductID', 'Amount'],
      rows: [
        [100, 1, 'P1', 10],
        [101, 1, 'P2', 20],
        [102, 2, 'P1', 30],
        [103, 3, 'P3', 5],
        [104, 3, 'P1', 15],
        [105, 9, 'P2', 1],
      ],
    },
    {
      name: 'Products',
      fields: ['ProductID', 'Product'],
      rows: [
        ['P1', 'Widget'],
        ['P2', 'Gadget'],
        ['P3', 'Gizmo'],
      ],
    },
  ],
};
