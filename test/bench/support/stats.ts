/** Small statistics and reporting helpers shared by the benchmarks. */
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export function median(values: readonly number[]): number {
  return percentile(values, 50);
}

export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index]!;
}

export const round = (value: number, digits = 1): number =>
  Math.round(value * 10 ** digits) / 10 ** digits;

export interface BenchRow {
  metric: string;
  value: number;
  unit: string;
  aim?: string;
  met?: boolean;
  note?: string;
}

const resultsDir = fileURLToPath(new URL('../results', import.meta.url));

/** Prints a result table and writes it, with the machine it ran on, under test/bench/results. */
export function report(name: string, rows: BenchRow[]): void {
  const lines = [
    `# ${name}`,
    '',
    `Run ${new Date().toISOString()} on ${os.cpus().length}× ${os.cpus()[0]?.model ?? 'cpu'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}.`,
    '',
    '| metric | value | aim | met |',
    '| --- | ---: | --- | :-: |',
    ...rows.map(
      (r) =>
        `| ${r.metric} | ${r.value} ${r.unit} | ${r.aim ?? ''} | ${r.met === undefined ? '' : r.met ? 'yes' : 'no'} |${r.note ? ` ${r.note}` : ''}`,
    ),
    '',
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
  mkdirSync(resultsDir, { recursive: true });
  writeFileSync(path.join(resultsDir, `${name}.md`), lines.join('\n'));
  writeFileSync(
    path.join(resultsDir, `${name}.json`),
    `${JSON.stringify({ ranAt: new Date().toISOString(), rows }, null, 2)}\n`,
  );
}
