/**
 * The conformance fixture (`people` and the `adults` view) as data files: a CSV in PostgreSQL's
 * convention (an unquoted empty field is NULL, `""` an empty string), the view as a
 * `.view.json` beside it, and helpers to write CSV text for the other tests.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { adultsMinAge, people } from '../conformance/fixture.js';

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

export const adultsView = JSON.stringify({
  from: 'people.csv',
  columns: ['id', 'name', 'age'],
  filters: [{ column: 'age', op: 'range', min: String(adultsMinAge) }],
});

/** Writes `lake/people.csv` and `lake/adults.view.json` under `root`. */
export async function writePeopleLake(root: string): Promise<void> {
  await mkdir(path.join(root, 'lake'), { recursive: true });
  await writeFile(path.join(root, 'lake', 'people.csv'), peopleCsv());
  await writeFile(path.join(root, 'lake', 'adults.view.json'), adultsView);
}
