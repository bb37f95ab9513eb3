/**
 * The text form of a dataset reference, `CONNECTION#DATASET`, used by the CLI and shown in the
 * app. CONNECTION is a saved connection's name or a URL; DATASET is the dataset's path joined by
 * dots, with double quotes around a part that itself holds a dot (`Demo#main."odd.name"`).
 */
export interface RefText {
  connection: string;
  dataset: string[] | undefined;
}

export function parseRefText(text: string): RefText {
  const hash = text.lastIndexOf('#');
  if (hash < 0) return { connection: text, dataset: undefined };
  const connection = text.slice(0, hash);
  const dataset = splitDatasetPath(text.slice(hash + 1));
  return { connection, dataset: dataset.length > 0 ? dataset : undefined };
}

export function splitDatasetPath(text: string): string[] {
  const parts: string[] = [];
  let current = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') {
      if (quoted && text[i + 1] === '"') {
        current += '"';
        i++;
      } else {
        quoted = !quoted;
      }
    } else if (c === '.' && !quoted) {
      parts.push(current);
      current = '';
    } else {
      current += c;
    }
  }
  parts.push(current);
  return parts.filter((p) => p.length > 0);
}

export function formatDatasetPath(path: readonly string[]): string {
  return path.map((p) => (/[."]/.test(p) ? `"${p.replace(/"/g, '""')}"` : p)).join('.');
}

export function formatRef(connectionName: string, path: readonly string[]): string {
  return `${connectionName}#${formatDatasetPath(path)}`;
}
