import { describe, expect, it } from 'vitest';
import { AppError } from '../../shared/errors.js';
import type { Column, Filter } from '../../shared/model.js';
import { escapeLike } from '../../electron/backends/sql/dialect.js';
import {
  coerce,
  orderByClause,
  viewKey,
  whereClause,
} from '../../electron/backends/sql/view-query.js';
import { sqliteDialect } from '../../electron/backends/sqlite/dialect.js';

const col = (name: string, type: Column['type'] = 'text'): Column => ({
  name,
  type,
  nativeType: type.toUpperCase(),
  nullable: true,
});
const columns = [
  col('id', 'integer'),
  col('name'),
  col('paid', 'boolean'),
  col('amount', 'decimal'),
  col('say "hi"'),
  col('<img src=x>'),
];

const where = (filters: Filter[]) => whereClause(sqliteDialect, columns, filters);

describe('whereClause', () => {
  it('is empty without filters', () => {
    expect(where([])).toEqual({ sql: '', params: [] });
  });

  it('quotes odd identifiers, doubling embedded quotes', () => {
    const { sql } = where([
      { column: 'say "hi"', op: 'isNull' },
      { column: '<img src=x>', op: 'notNull' },
    ]);
    expect(sql).toBe('WHERE "say ""hi""" IS NULL AND "<img src=x>" IS NOT NULL');
  });

  it('binds values, never splicing them', () => {
    const { sql, params } = where([{ column: 'name', op: 'eq', value: "x' OR 1=1 --" }]);
    expect(sql).toBe('WHERE "name" = ?');
    expect(params).toEqual(["x' OR 1=1 --"]);
  });

  it('escapes LIKE wildcards in contains', () => {
    const { sql, params } = where([{ column: 'name', op: 'contains', value: '50%_off\\' }]);
    expect(sql).toBe(`WHERE CAST("name" AS TEXT) LIKE ? ESCAPE '\\'`);
    expect(params).toEqual(['%50\\%\\_off\\\\%']);
  });

  it('coerces eq and range to the column type; booleans bind as 0/1 on SQLite', () => {
    const { sql, params } = where([
      { column: 'id', op: 'eq', value: ' 42 ' },
      { column: 'paid', op: 'eq', value: 'yes' },
      { column: 'amount', op: 'range', min: '1.5', max: '' },
    ]);
    expect(sql).toBe('WHERE "id" = ? AND "paid" = ? AND "amount" >= ?');
    expect(params).toEqual([42, 1, 1.5]);
  });

  it('keeps integers past 2^53 as text so they are not rounded', () => {
    expect(where([{ column: 'id', op: 'eq', value: '9007199254740993' }]).params).toEqual([
      '9007199254740993',
    ]);
  });

  it('names the column and the value when coercion fails', () => {
    const attempt = () => where([{ column: 'amount', op: 'range', min: 'ten' }]);
    expect(attempt).toThrow(AppError);
    expect(attempt).toThrow(/“ten”.*“amount”/);
    expect(() => where([{ column: 'paid', op: 'eq', value: 'maybe' }])).toThrow(/“maybe”.*“paid”/);
  });

  it('rejects unknown columns', () => {
    expect(() => where([{ column: 'nope', op: 'isNull' }])).toThrow(/No column named “nope”/);
  });
});

describe('orderByClause', () => {
  it('appends the tie-break after the sort', () => {
    expect(
      orderByClause(sqliteDialect, columns, [{ column: 'amount', direction: 'desc' }], ['rowid']),
    ).toBe('ORDER BY "amount" DESC, rowid');
  });

  it('orders by the tie-break alone without a sort', () => {
    expect(orderByClause(sqliteDialect, columns, [], ['"id"'])).toBe('ORDER BY "id"');
    expect(orderByClause(sqliteDialect, columns, [], [])).toBe('');
  });

  it('quotes odd sort columns and rejects unknown ones', () => {
    expect(
      orderByClause(
        sqliteDialect,
        columns,
        [
          { column: 'say "hi"', direction: 'asc' },
          { column: '<img src=x>', direction: 'desc' },
        ],
        ['rowid'],
      ),
    ).toBe('ORDER BY "say ""hi""" ASC, "<img src=x>" DESC, rowid');
    expect(() =>
      orderByClause(sqliteDialect, columns, [{ column: 'x"; DROP', direction: 'asc' }], []),
    ).toThrow(AppError);
  });
});

describe('coerce', () => {
  it.each(['1', '-2.5', '.5', '1e3', '+7'])('accepts the number %s', (text) => {
    expect(coerce(col('n', 'float'), text)).toBe(Number(text));
  });
  it.each(['', '1,5', '0x10', 'NaN', '1 2'])('rejects %j for a number column', (text) => {
    expect(() => coerce(col('n', 'float'), text)).toThrow(AppError);
  });
  it('leaves text as typed (untrimmed)', () => {
    expect(coerce(col('t'), ' a ')).toBe(' a ');
  });
});

describe('escapeLike and viewKey', () => {
  it('escapes the escape character too', () => {
    expect(escapeLike('a\\b%c_d')).toBe('a\\\\b\\%c\\_d');
  });
  it('distinguishes views by sort and filters', () => {
    const a = viewKey({ sort: [{ column: 'id', direction: 'asc' }], filters: [] });
    const b = viewKey({ sort: [{ column: 'id', direction: 'desc' }], filters: [] });
    expect(a).not.toBe(b);
  });
});
