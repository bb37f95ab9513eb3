/**
 * The conformance fixture (`people` and the `adults` view) as data files: a CSV in PostgreSQL's
 * convention (an unquoted empty field is NULL, `""` an empty string), the view as a
 * `.view.json` beside it, and helpers to write CSV text for the other tests.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { adultsMinAge, people } from '../conformance/fixture.js';
import { writeParquet } from './parquet-writer.js';

export type CsvValue = string | number | boolean | null;

export function csvField(value: CsvValue): string {
  if (value === null) return '';
  const text = String(value);
  return text === '' || /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvText(
  header: readonly string[],
  rows: ReadonlyArray<readonly CsvValue[]>,
): string {
  return [header, ...rows].map((row) => row.map(csvField).join(',')).join('\n') + '\n';
}

export const peopleHeader = ['id', 'name', 'age', 'balance', 'active', 'born', 'note'];

export function peopleCsv(): string {
  return csvText(
    peopleHeader,
    people.map((p) => [p.id, p.name, p.age, p.balance, p.active, p.born, p.note]),
  );
}

export const adultsView = (from = 'people.csv') =>
  JSON.stringify({
    from,
    columns: ['id', 'name', 'age'],
    filters: [{ column: 'age', op: 'range', min: String(adultsMinAge) }],
  });

/** The fixture as Parquet, in two row groups so reads cross a group boundary. */
export function peopleParquet(): Buffer {
  return writeParquet(
    [
      { name: 'id', type: 'int32' },
      { name: 'name', type: 'utf8' },
      { name: 'age', type: 'int32' },
      { name: 'balance', type: 'decimal', scale: 2 },
      { name: 'active', type: 'boolean' },
      { name: 'born', type: 'date' },
      { name: 'note', type: 'utf8', optional: true },
    ],
    people.map((p) => [p.id, p.name, p.age, p.balance, p.active, p.born, p.note]),
    30,
  );
}

/** Writes `lake/people.csv`, `pq/people.parquet` and an `adults.view.json` beside each. */
export async function writePeopleLake(root: string): Promise<void> {
  await mkdir(path.join(root, 'lake'), { recursive: true });
  await writeFile(path.join(root, 'lake', 'people.csv'), peopleCsv());
  await writeFile(path.join(root, 'lake', 'adults.view.json'), adultsView());
  await mkdir(path.join(root, 'pq'), { recursive: true });
  await writeFile(path.join(root, 'pq', 'people.parquet'), peopleParquet());
  await writeFile(path.join(root, 'pq', 'adults.view.json'), adultsView('people.parquet'));
}
