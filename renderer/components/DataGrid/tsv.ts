/**
 * A cell range as TSV for the clipboard, header-less. A value holding a tab, newline or quote is
 * quoted with inner quotes doubled — what spreadsheets expect when pasting — so a pasted note with
 * a line break stays in one cell.
 */
export function tsvField(text: string): string {
  return /[\t\n\r"]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function toTsv(rows: readonly (readonly string[])[]): string {
  return rows.map((row) => row.map(tsvField).join('\t')).join('\n');
}
