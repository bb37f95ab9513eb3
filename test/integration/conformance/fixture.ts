/**
 * The small dataset every engine's conformance run holds: `people` (50 deterministic rows with
 * ties in `age`, NULL and '' in `note`, and HTML-looking text) and the view `adults` over it.
 * The SQL is plain enough for SQLite, PostgreSQL and MySQL; only column types differ.
 */
export interface Person {
  id: number;
  name: string;
  age: number;
  /** Exactly two decimals, as text. */
  balance: string;
  active: boolean;
  born: string;
  note: string | null;
}

const firstNames = ['Ada', 'Bob', 'Cleo', 'Dan', 'Eve'];
const pad = (n: number) => String(n).padStart(2, '0');

export const people: Person[] = Array.from({ length: 50 }, (_, index) => {
  const id = index + 1;
  return {
    id,
    name: `${firstNames[id % 5]} ${pad(id)}`,
    age: 20 + ((id * 7) % 13),
    balance: `${(id * 37) % 1000}.${pad((id * 13) % 100)}`,
    active: id % 3 !== 0,
    born: `${1940 + id}-${pad((id % 12) + 1)}-${pad((id % 28) + 1)}`,
    note: id % 10 === 0 ? null : id === 3 ? '' : id === 7 ? '<b>html</b>' : `note ${id}`,
  };
});

export const adultsMinAge = 25;

export interface ColumnTypes {
  int: string;
  text: string;
  decimal: string;
  bool: string;
  date: string;
}

export function fixtureSql(types: ColumnTypes): string[] {
  const literal = (v: string | number | boolean | null) =>
    v === null
      ? 'NULL'
      : typeof v === 'string'
        ? `'${v.replace(/'/g, "''")}'`
        : typeof v === 'boolean'
          ? v
            ? 'TRUE'
            : 'FALSE'
          : String(v);
  // Inserted out of id order, so an engine that forgot to sort would be caught.
  const values = people
    .map(
      (p) =>
        `(${[p.id, p.name, p.age, p.balance, p.active, p.born, p.note].map(literal).join(', ')})`,
    )
    .reverse()
    .join(',\n');
  return [
    `CREATE TABLE people (id ${types.int} PRIMARY KEY, name ${types.text} NOT NULL, age ${types.int} NOT NULL,
      balance ${types.decimal} NOT NULL, active ${types.bool} NOT NULL, born ${types.date} NOT NULL, note ${types.text})`,
    `INSERT INTO people (id, name, age, balance, active, born, note) VALUES ${values}`,
    `CREATE VIEW adults AS SELECT id, name, age FROM people WHERE age >= ${adultsMinAge}`,
  ];
}
