/** Aligned text tables for the command line's listings. */

/** An aligned table: a header and rows, columns two spaces apart, values cut to `maxWidth`. */
export function table(
  headers: string[],
  rows: string[][],
  rightAlign: boolean[] = [],
  maxWidth = Infinity,
): string {
  const cut = (text: string) => {
    const chars = [...text];
    return chars.length > maxWidth ? `${chars.slice(0, maxWidth - 1).join('')}…` : text;
  };
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
