/**
 * The one suite every Backend must pass, run by each engine's spec against a fresh store holding
 * the fixture (fixture.ts). It pins the behaviour the grid relies on: tree, schema, paging in a
 * total order, every filter operation, counts, single cells, and the engine's connection errors.
 * It asks the backend's capabilities rather than its engine: without `serverSort` the plain view
 * may come in the engine's own order (Redis pages in SCAN order), so rows are compared as a set
 * and re-reads against the first pass, and the sort tests are skipped; without `serverFilter`
 * the filter tests are skipped. Each engine's own tests cover what it does instead.
 */
import { afterAll, beforeAll, describe, expect, it, type TestContext } from 'vitest';
import { AppError, type ErrorCode } from '../../../shared/errors.js';
import type {
  DatasetPath,
  Filter,
  Page,
  SortSpec,
  TreeNode,
  ViewSpec,
} from '../../../shared/model.js';
import type { Backend } from '../../../electron/backends/backend.js';
import { adultsMinAge, people, type Person } from './fixture.js';
import { normaliseRow, personRow, sortedPeople, type PlainValue } from './normalise.js';

export interface ErrorCase {
  label: string;
  code: ErrorCode;
  /** Text the message must contain, e.g. the host:port it could not reach. */
  mentions?: string;
  attempt: () => Promise<unknown>;
}

export interface ConformanceStore {
  backend: Backend;
  /** Path of the `people` table and of the `adults` view (absent where the store has no views). */
  path: DatasetPath;
  viewPath?: DatasetPath;
  /** The name the store gives the fixture's `id` column, when not `id` (Redis: `key`). */
  idColumn?: string;
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

    const ordered = () => backend.capabilities.serverSort;
    const skipUnless = (ctx: TestContext, capability: 'serverSort' | 'serverFilter') => {
      if (!backend.capabilities[capability]) ctx.skip(`the backend has no ${capability}`);
    };
    const byId = (a: PlainValue[], b: PlainValue[]) => Number(a[0]) - Number(b[0]);

    it('lists the table and the view in the tree, with row counts', async () => {
      const tree = await backend.tree();
      const all = tree.flatMap((n) => [n, ...(n.children ?? [])]);
      const find = (path: DatasetPath): TreeNode | undefined =>
        all.find((n) => n.path.join('\u0000') === path.join('\u0000'));
      const table = find(store.path);
      expect(table?.kind).toBe('table');
      if (store.viewPath) expect(find(store.viewPath)?.kind).toBe('view');
      // The path's first part is the top-level node: a schema, database or logical database.
      expect(find(store.path.slice(0, 1))?.kind).toBe('schema');
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
      const idColumn = store.idColumn ?? 'id';
      expect(schema.key).toEqual([idColumn]);
      expect(schema.columns.map((c) => [c.name, c.type])).toEqual([
        [idColumn, 'integer'],
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
      if (store.viewPath) expect((await backend.describe(store.viewPath)).kind).toBe('view');
    });

    it('reads the first page and a deep page with values equal to the fixture', async () => {
      const { columns } = await backend.describe(store.path);
      const first = await backend.page(store.path, plain, 0, 10);
      expect(first.offset).toBe(0);
      const deep = await backend.page(store.path, plain, 40, 20);
      const rows = (page: Page) => page.rows.map((r) => normaliseRow(columns, r));
      if (ordered()) {
        expect(rows(first)).toEqual(people.slice(0, 10).map(personRow));
        expect(rows(deep)).toEqual(people.slice(40).map(personRow));
      } else {
        const middle = await backend.page(store.path, plain, 10, 30);
        const all = [...rows(first), ...rows(middle), ...rows(deep)].sort(byId);
        expect(all).toEqual(people.map(personRow));
      }
      expect((await backend.page(store.path, plain, 60, 10)).rows).toEqual([]);
    });

    it('pages sequentially, backwards and by jumps without losing or repeating a row', async () => {
      const seen: number[] = [];
      for (let offset = 0; offset < 50; offset += 7) seen.push(...(await ids(plain, offset, 7)));
      const all = people.map((p) => p.id);
      // In key order, or in the engine's own order, which must then be the same on every read.
      expect(ordered() ? seen : [...seen].sort((a, b) => a - b)).toEqual(all);
      const order = ordered() ? all : seen;
      expect(await ids(plain, 14, 7)).toEqual(order.slice(14, 21));
      expect(await ids(plain, 30, 3)).toEqual(order.slice(30, 33));
      expect(await ids(plain, 45, 10)).toEqual(order.slice(45, 50));
      expect(await ids(plain, 2, 2)).toEqual(order.slice(2, 4));
    });

    it('sorts ascending, descending and by two columns, ties broken by the key', async (ctx) => {
      skipUnless(ctx, 'serverSort');
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

    it('keeps a sorted view stable across pages', async (ctx) => {
      skipUnless(ctx, 'serverSort');
      const sorted = view([{ column: 'age', direction: 'asc' }]);
      const paged: number[] = [];
      for (let offset = 0; offset < 50; offset += 6) paged.push(...(await ids(sorted, offset, 6)));
      expect(paged).toEqual(await ids(sorted));
      expect(new Set(paged).size).toBe(50);
    });

    it('filters by eq, contains, range, isNull and notNull, with counts', async (ctx) => {
      skipUnless(ctx, 'serverFilter');
      skipUnless(ctx, 'serverSort');
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
      if (backend.capabilities.serverFilter) {
        const bad = view([], [{ column: 'age', op: 'eq', value: 'abc' }]);
        await expectError(backend.page(store.path, bad, 0, 10), 'invalid-input', 'age');
        await expectError(backend.count(store.path, bad), 'invalid-input', 'age');
      }
      if (ordered()) {
        const unknown = view([{ column: 'nope', direction: 'asc' }]);
        await expectError(backend.page(store.path, unknown, 0, 10), 'invalid-input', 'nope');
      }
      await expectError(
        backend.describe([...store.path.slice(0, -1), 'no_such_table']),
        'not-found',
      );
    });

    it('reads the view and single cells in full', async () => {
      if (store.viewPath) {
        const adults = people.filter((p) => p.age >= adultsMinAge);
        expect(await backend.count(store.viewPath, plain)).toBe(adults.length);
        const page = await backend.page(store.viewPath, plain, 0, 100);
        expect(page.rows.map((r) => Number(r[0])).sort((a, b) => a - b)).toEqual(
          adults.map((p) => p.id),
        );
      }
      // The row number of a person in the plain view: its id - 1 in key order.
      const order = await ids(plain);
      const rowOf = (id: number) => (ordered() ? id - 1 : order.indexOf(id));
      expect(await backend.cell(store.path, plain, rowOf(7), 'note')).toMatchObject({
        column: 'note',
        type: 'text',
        text: '<b>html</b>',
        truncated: false,
      });
      expect((await backend.cell(store.path, plain, rowOf(10), 'note')).text).toBeNull();
      expect((await backend.cell(store.path, plain, rowOf(3), 'note')).text).toBe('');
      if (ordered()) {
        const sorted = view([{ column: 'age', direction: 'desc' }]);
        const top = sortedPeople(people, [['age', 'desc']])[0]!;
        expect((await backend.cell(store.path, sorted, 0, 'name')).text).toBe(top.name);
      }
      await expectError(backend.cell(store.path, plain, 50, 'note'), 'not-found');
    });

    it('translates connection failures into errors that say what to do', async () => {
      for (const errorCase of store.errorCases) {
        await expectError(errorCase.attempt(), errorCase.code, errorCase.mentions);
      }
    });
  });
}
