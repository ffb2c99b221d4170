import { describe, expect, it } from 'vitest';
import { fetchedTables, totalLinesFetched } from '../src/recipes/reload-log.js';

describe('fetchedTables: what a reload log says was loaded', () => {
  it('reads the progress form with timestamps, adding up concatenations per table', () => {
    const log = [
      '2026-01-05 10:00:00 Started loading data',
      "2026-01-05 10:00:00 Connecting to 'acme dev:acme-sales'",
      '2026-01-05 10:00:01 ProductNames << products',
      '2026-01-05 10:00:01 6 Lines fetched',
      '2026-01-05 10:00:01 Orders << orders',
      '2026-01-05 10:00:02 1,234 Lines fetched',
      '2026-01-05 10:00:02 Access << end_users',
      '2026-01-05 10:00:02 2 Lines fetched',
      '2026-01-05 10:00:02 Access << INLINE',
      '2026-01-05 10:00:02 4 Lines fetched',
      '2026-01-05 10:00:03 App saved',
    ].join('\n');
    const tables = fetchedTables(log);
    expect(tables).toEqual([
      { table: 'ProductNames', lines: 6 },
      { table: 'Orders', lines: 1234 },
      { table: 'Access', lines: 6 },
    ]);
    expect(totalLinesFetched(tables)).toBe(1246);
  });

  it('reads "Lines fetched: n" and ISO timestamps with zones', () => {
    const log = '20260105T100001.123+0100 Orders << ORDERS\n20260105T100002.000+0100 Lines fetched: 12 345\n';
    expect(fetchedTables(log)).toEqual([{ table: 'Orders', lines: 12_345 }]);
  });

  it('a log without counts reports nothing (null in all)', () => {
    const tables = fetchedTables('ReloadID: 1\nStarted loading\nFinished successfully\n');
    expect(tables).toEqual([]);
    expect(totalLinesFetched(tables)).toBeNull();
    expect(totalLinesFetched(null)).toBeNull();
  });
});
