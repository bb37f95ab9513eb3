/**
 * The one suite every Backend must pass, run by each engine's spec against a fresh store holding
 * the fixture (fixture.ts). It pins the behaviour the grid relies on: tree, schema, paging in a
 * total order, every filter operation, counts, single cells, and the engine's connection errors.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError, type ErrorCode } from '../../../shared/errors.js';
import type { DatasetPath, Filter, SortSpec, TreeNode, ViewSpec } from '../../../shared/model.js';
import type { Backend } from '../../../electron/backends/backend.js';
import { adultsMinAge, people, type Person } from './fixture.js';
import { normaliseRow, personRow, sortedPeople } from './normalise.js';

export interface ErrorCase {
  label: string;
  code: ErrorCode;
  /** Text the message must contain, e.g. the host:port it could not reach. */
  mentions?: string;
  attempt: () => Promise<unknown>;
}

export interface ConformanceStore {
  backend: Backend;
  /** Path of the `people` table and of the `adults` view. */
  path: DatasetPath;
  viewPath: DatasetPath;
  /** Whether the tree's row counts are exact (SQLite) or the engine's estimate (servers). */
  exactTreeCounts: boolean;
  errorCases: ErrorCase[];
  teardown(): Promise<void>;
}

const plain: ViewSpec = { sort: [], filters: [] };
const view = (sort: SortSpec[] = [], filters: Filter[] = []): ViewSpec => ({ sort, filters });

export function runBackendConformance(
  name: string,
  setup: () => Promise<ConformanceStore>,
  skipReason?: string,
): void {
  if (skipReason) console.warn(`⚠ SKIPPED ${name} conformance: ${skipReason}`);

  describe.skipIf(skipReason !== undefined)(`${name} backend conformance`, () => {
    let store: ConformanceStore;
    let backend: Backend;
    beforeAll(async () => {
      store = await setup();
      backend = store.backend;
    });
    afterAll(async () => {
      await store?.backend.close();
      await store?.teardown();
    });

    const ids = async (v: ViewSpec, offset = 0, limit = 100) =>
      (await backend.page(store.path, v, offset, limit)).rows.map((r) => Number(r[0]));
    const expectIds = async (v: ViewSpec, expected: Person[]) => {
      expect(await ids(v)).toEqual(expected.map((p) => p.id));
      expect(await backend.count(store.path, v)).toBe(expected.length);
    };
    const expectError = async (work: Promise<unknown>, code: ErrorCode, mentions?: string) => {
      const error = await work.then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error, `expected an AppError ${code}`).toBeInstanceOf(AppError);
      expect((error as AppError).code).toBe(code);
      if (mentions) expect((error as AppError).message).toContain(mentions);
    };

    it('lists the table and the view in the tree, with row counts', async () => {
      const tree = await backend.tree();
      const all = tree.flatMap((n) => [n, ...(n.children ?? [])]);
      const find = (path: DatasetPath): TreeNode | undefined =>
        all.find((n) => n.path.join('\u0000') === path.join('\u0000'));
      const table = find(store.path);
      expect(table?.kind).toBe('table');
      expect(find(store.viewPath)?.kind).toBe('view');
      expect(find(store.path.slice(0, -1))?.kind).toBe('schema');
      if (store.exactTreeCounts) {
        expect(table).toMatchObject({ rowCount: 50, rowCountExact: true });
      } else {
        expect(table?.rowCountExact).toBe(false);
        expect(table?.rowCount).toBeGreaterThanOrEqual(0);
      }
    });

    it('describes columns with logical types, nullability and the key', async () => {
      const schema = await backend.describe(store.path);
      expect(schema.kind).toBe('table');
      expect(schema.key).toEqual(['id']);
      expect(schema.columns.map((c) => [c.name, c.type])).toEqual([
        ['id', 'integer'],
        ['name', 'text'],
        ['age', 'integer'],
        ['balance', 'decimal'],
        ['active', 'boolean'],
        ['born', 'date'],
        ['note', 'text'],
      ]);
      expect(schema.columns.find((c) => c.name === 'note')?.nullable).toBe(true);
      expect(schema.columns.find((c) => c.name === 'name')?.nullable).toBe(false);
      expect(schema.columns.every((c) => c.nativeType.length > 0)).toBe(true);
      expect((await backend.describe(store.viewPath)).kind).toBe('view');
    });

    it('reads the first page and a deep page with values equal to the fixture', async () => {
      const { columns } = await backend.describe(store.path);
      const first = await backend.page(store.path, plain, 0, 10);
      expect(first.offset).toBe(0);
      expect(first.rows.map((r) => normaliseRow(columns, r))).toEqual(
        people.slice(0, 10).map(personRow),
      );
      const deep = await backend.page(store.path, plain, 40, 20);
      expect(deep.rows.map((r) => normaliseRow(columns, r))).toEqual(
        people.slice(40).map(personRow),
      );
      expect((await backend.page(store.path, plain, 60, 10)).rows).toEqual([]);
    });

    it('pages sequentially, backwards and by jumps without losing or repeating a row', async () => {
      const seen: number[] = [];
      for (let offset = 0; offset < 50; offset += 7) seen.push(...(await ids(plain, offset, 7)));
      expect(seen).toEqual(people.map((p) => p.id));
      expect(await ids(plain, 14, 7)).toEqual([15, 16, 17, 18, 19, 20, 21]);
      expect(await ids(plain, 30, 3)).toEqual([31, 32, 33]);
      expect(await ids(plain, 45, 10)).toEqual([46, 47, 48, 49, 50]);
      expect(await ids(plain, 2, 2)).toEqual([3, 4]);
    });

    it('sorts ascending, descending and by two columns, ties broken by the key', async () => {
      await expectIds(
        view([{ column: 'age', direction: 'asc' }]),
        sortedPeople(people, [['age', 'asc']]),
      );
      await expectIds(
        view([{ column: 'age', direction: 'desc' }]),
        sortedPeople(people, [['age', 'desc']]),
      );
      await expectIds(
        view([
          { column: 'active', direction: 'asc' },
          { column: 'age', direction: 'desc' },
        ]),
        sortedPeople(people, [
          ['active', 'asc'],
          ['age', 'desc'],
        ]),
      );
      await expectIds(
        view([{ column: 'name', direction: 'desc' }]),
        sortedPeople(people, [['name', 'desc']]),
      );
    });

    it('keeps a sorted view stable across pages', async () => {
      const sorted = view([{ column: 'age', direction: 'asc' }]);
      const paged: number[] = [];
      for (let offset = 0; offset < 50; offset += 6) paged.push(...(await ids(sorted, offset, 6)));
      expect(paged).toEqual(await ids(sorted));
      expect(new Set(paged).size).toBe(50);
    });

    it('filters by eq, contains, range, isNull and notNull, with counts', async () => {
      const eq = (column: string, value: string): Filter => ({ column, op: 'eq', value });
      await expectIds(
        view([], [eq('age', '25')]),
        people.filter((p) => p.age === 25),
      );
      await expectIds(
        view([], [eq('active', 'true')]),
        people.filter((p) => p.active),
      );
      await expectIds(
        view([], [eq('note', '')]),
        people.filter((p) => p.note === ''),
      );
      await expectIds(view([], [eq('balance', people[4]!.balance)]), [people[4]!]);
      await expectIds(
        view([], [{ column: 'name', op: 'contains', value: 'ada' }]),
        people.filter((p) => p.name.startsWith('Ada')),
      );
      await expectIds(
        view([], [{ column: 'note', op: 'contains', value: '<b>' }]),
        people.filter((p) => p.note === '<b>html</b>'),
      );
      await expectIds(view([], [{ column: 'note', op: 'contains', value: '%' }]), []);
      await expectIds(
        view([], [{ column: 'age', op: 'range', min: '22', max: '24' }]),
        people.filter((p) => p.age >= 22 && p.age <= 24),
      );
      await expectIds(
        view([], [{ column: 'born', op: 'range', min: '1960-01-01', max: '1970-12-31' }]),
        people.filter((p) => p.born >= '1960-01-01' && p.born <= '1970-12-31'),
      );
      await expectIds(
        view([], [{ column: 'note', op: 'isNull' }]),
        people.filter((p) => p.note === null),
      );
      await expectIds(
        view([], [{ column: 'note', op: 'notNull' }]),
        people.filter((p) => p.note !== null),
      );
      await expectIds(view([], [eq('name', "x' OR '1'='1")]), []);
      await expectIds(
        view([{ column: 'age', direction: 'desc' }], [eq('active', 'false')]),
        sortedPeople(
          people.filter((p) => !p.active),
          [['age', 'desc']],
        ),
      );
    });

    it('rejects a filter value that does not fit its column, naming the column', async () => {
      const bad = view([], [{ column: 'age', op: 'eq', value: 'abc' }]);
      await expectError(backend.page(store.path, bad, 0, 10), 'invalid-input', 'age');
      await expectError(backend.count(store.path, bad), 'invalid-input', 'age');
      const unknown = view([{ column: 'nope', direction: 'asc' }]);
      await expectError(backend.page(store.path, unknown, 0, 10), 'invalid-input', 'nope');
      await expectError(
        backend.describe([...store.path.slice(0, -1), 'no_such_table']),
        'not-found',
      );
    });

    it('reads the view and single cells in full', async () => {
      const adults = people.filter((p) => p.age >= adultsMinAge);
      expect(await backend.count(store.viewPath, plain)).toBe(adults.length);
      const page = await backend.page(store.viewPath, plain, 0, 100);
      expect(page.rows.map((r) => Number(r[0])).sort((a, b) => a - b)).toEqual(
        adults.map((p) => p.id),
      );
      expect(await backend.cell(store.path, plain, 6, 'note')).toMatchObject({
        column: 'note',
        type: 'text',
        text: '<b>html</b>',
        truncated: false,
      });
      expect((await backend.cell(store.path, plain, 9, 'note')).text).toBeNull();
      expect((await backend.cell(store.path, plain, 2, 'note')).text).toBe('');
      const sorted = view([{ column: 'age', direction: 'desc' }]);
      const top = sortedPeople(people, [['age', 'desc']])[0]!;
      expect((await backend.cell(store.path, sorted, 0, 'name')).text).toBe(top.name);
      await expectError(backend.cell(store.path, plain, 50, 'note'), 'not-found');
    });

    it('translates connection failures into errors that say what to do', async () => {
      for (const errorCase of store.errorCases) {
        await expectError(errorCase.attempt(), errorCase.code, errorCase.mentions);
      }
    });
  });
}
