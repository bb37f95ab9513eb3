/** Output helpers of the versioning commands: byte sizes, times, aligned tables. */

export function bytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let value = n / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value < 10 ? value.toFixed(1) : Math.round(value)} ${units[unit]}`;
}

/** A timestamp as local `YYYY-MM-DD HH:MM:SS`. */
export function when(iso: string): string {
  const d = new Date(iso);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}

/** Columns two spaces apart; message-like last columns are cut at 60 characters. */
export function table(headers: string[], rows: string[][], rightAlign: boolean[] = []): string {
  const cut = (text: string) =>
    [...text].length > 60 ? `${[...text].slice(0, 59).join('')}…` : text;
  const cells = [headers, ...rows].map((row) => row.map(cut));
  const widths = headers.map((_, c) => Math.max(...cells.map((row) => [...(row[c] ?? '')].length)));
  return cells
    .map((row) =>
      row
        .map((text, c) => {
          const pad = ' '.repeat(widths[c]! - [...text].length);
          return rightAlign[c] ? pad + text : text + pad;
        })
        .join('  ')
        .trimEnd(),
    )
    .map((line) => `${line}\n`)
    .join('');
}
